/** docs/privacy.md as HTML, made at build time by the `ohr-privacy-policy` Vite plugin (scripts/privacy-page.ts). */
declare module 'virtual:ohr-privacy-policy' {
  const html: string;
  export default html;
}
