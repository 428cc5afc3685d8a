/**
 * The widget's look, adopted into its shadow root as a constructed stylesheet: host-page CSS cannot reach inside,
 * and a host CSP that forbids inline styles does not apply to it. Organisations theme it with the `--ohr-*` custom
 * properties (which do cross the shadow boundary) and the `::part()`s named in widget/README.md.
 * Each line ends in a backslash, a template literal's line continuation, so the script carries no newlines.
 */
const CSS = `\
:host{display:block;--a:var(--ohr-accent,#4a2a8c);--b:1px solid var(--ohr-border,#767676);--e:var(--ohr-error,#b00020);--r:var(--ohr-radius,6px)}\
.w{all:initial;display:block;max-width:40rem;padding:1rem 1.25rem;font:max(var(--ohr-font-size,1rem),16px)/1.5 var(--ohr-font,system-ui,sans-serif);color:var(--ohr-text,#1a1a1a);background:var(--ohr-background,#fff);border:var(--b);border-radius:var(--r)}\
*{box-sizing:border-box;font:inherit;color:inherit}\
h2{font-size:1.4em;font-weight:700;margin:.2em 0 .6em}\
h2:focus{outline:0}\
p,dl,ul{margin:.5em 0}\
fieldset{border:0;padding:0;margin:0 0 1em;min-width:0}\
h3,legend,label,dt,button,.error{font-weight:600}\
.field{margin:0 0 1em}\
label{display:block}\
.choice{display:flex;gap:.5em;align-items:center;font-weight:400;margin:.3em 0}\
[type=radio],[type=checkbox]{width:24px;height:24px;margin:0;accent-color:var(--a)}\
[part=input]{display:block;width:100%;padding:.45em .6em;background:var(--ohr-input-background,#fff);border:var(--b);border-radius:var(--r)}\
[aria-invalid=true]{border:2px solid var(--e)}\
:focus-visible{outline:3px solid var(--ohr-focus,#ffbf47);outline-offset:2px}\
button{cursor:pointer;min-height:44px;padding:.5em 1.1em;border:1px solid var(--a);border-radius:var(--r);background:0;color:var(--a)}\
.primary,.open{background:var(--a);color:var(--ohr-accent-text,#fff)}\
.link{border:0;padding:.2em;min-height:24px;text-decoration:underline}\
.actions{display:flex;flex-wrap:wrap;gap:.75em;align-items:center;margin-top:1em}\
.hint{color:var(--ohr-muted,#555)}\
.error{color:var(--e)}\
.summary,.urgent,.note{border-inline-start:5px solid var(--e);padding:.25em .9em}\
.note{border-color:var(--a)}\
.item{border:var(--b);border-radius:var(--r);padding:.75em}\
dd{margin:0 0 .6em}\
.reference{font-size:1.6em;font-weight:700}\
code{font-family:monospace;word-break:break-all}\
.open{position:fixed;inset-inline-end:1rem;bottom:1rem;z-index:2147483647;box-shadow:0 2px 8px #0006;font:600 16px var(--ohr-font,system-ui,sans-serif)}\
dialog{padding:0;border:0;background:0;max-height:90vh;width:min(42rem,95vw)}\
dialog::backdrop{background:#0009}\
.close{float:inline-end}\
.exit{margin:0 0 1em}\
.exit button{background:var(--e);border-color:var(--e)}\
`;

let sheet: CSSStyleSheet | undefined;

/** One stylesheet object shared by every widget on the page. */
export function styles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
