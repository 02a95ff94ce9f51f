// iconv-lite's single-byte code page tables (its own files, no type declarations): an entry is an
// alias (another entry's name or a code page number) or a table of the 128 or 256 characters.
declare module 'iconv-lite/encodings/sbcs-data.js' {
  const tables: Record<string, string | number | { type: string; chars: string }>;
  export default tables;
}
declare module 'iconv-lite/encodings/sbcs-data-generated.js' {
  const tables: Record<string, string | number | { type: string; chars: string }>;
  export default tables;
}
