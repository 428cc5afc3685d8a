/** The sign-in page: email and password, one generic message for every refusal. */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import { ConsolePage, Notice } from '../shared/layout';
import { href } from '../shared/links';

export function LoginPage({ next, problem }: { next?: string | undefined; problem?: string | undefined }): VNode {
  return (
    <ConsolePage title={ct('signIn.title')}>
      {problem && <Notice kind="problem">{problem}</Notice>}
      <form method="post" action={href.login} class="stack narrow">
        {next && <input type="hidden" name="next" value={next} />}
        <label for="email">{ct('signIn.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required maxLength={254} />
        <label for="password">{ct('signIn.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxLength={1024} />
        <label for="code">{ct('signIn.code')}</label>
        <p id="code-hint" class="hint">
          {ct('signIn.codeHint')}
        </p>
        <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxLength={6} aria-describedby="code-hint" />
        <button type="submit">{ct('signIn.submit')}</button>
      </form>
    </ConsolePage>
  );
}
