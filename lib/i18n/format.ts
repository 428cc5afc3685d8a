/** Fills `{name}` placeholders from `values`; an unknown placeholder is left as written, so a gap shows rather than hides. */
export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in values ? String(values[name]) : placeholder));
}
