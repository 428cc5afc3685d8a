/** A QR code drawn on the server as one SVG path (no script, no image request): the account and setup pages' TOTP code. */
import type { VNode } from 'preact';
import { encode } from 'uqr';

/** The code for `text` as unit squares; `label` names it for screen readers (the secret is also written out beside it). */
export function QrCode({ text, label }: { text: string; label: string }): VNode {
  const { data, size } = encode(text, { border: 2 });
  const squares = data.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ''))).join('');
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} width={size * 5} height={size * 5} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={squares} fill="#000" />
    </svg>
  );
}
