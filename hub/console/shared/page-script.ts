/**
 * What the console's page scripts share in the browser (the sealed-contact opener, the case-file contact script, the
 * key-access pages): one line that says how it went, as a problem (an alert) or as status, and a POST to the hub with
 * the page's CSRF token.
 */

/** Says `words` in the problem box (an alert) or in the status line, emptying the other. */
export function messageLines(problem: HTMLElement, status: HTMLElement): (words: string, isProblem: boolean) => void {
  return (words, isProblem) => {
    problem.textContent = isProblem ? words : '';
    problem.hidden = !isProblem;
    status.textContent = isProblem ? '' : words;
  };
}

/** Posts `fields` with the form's CSRF token; the response, or undefined when the hub could not be reached. */
export async function postWithCsrf(form: HTMLFormElement, to: string, fields: Record<string, string> = {}): Promise<Response | undefined> {
  const csrf = form.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? '';
  return fetch(to, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  }).catch(() => undefined);
}
