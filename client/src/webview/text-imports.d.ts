// Texts that scripts/build.mjs hands to the client bundle: the webview's script bundled for the
// browser (`webview:<path>`) and its stylesheet (`.css`, loaded as text).
declare module 'webview:*' {
  const text: string;
  export default text;
}
declare module '*.css' {
  const text: string;
  export default text;
}
