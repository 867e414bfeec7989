/**
 * A file name as a label (kept in a record, shown in a report, sent in Content-Disposition): no
 * control characters, and no format characters: the bidirectional overrides and isolates
 * (U+202A-202E, U+2066-2069) that make `report\u202Etxt.exe` display as `reportexe.txt`, marks
 * (U+200E/F, U+061C), zero-width characters and joiners (U+200B-200D, U+2060, U+FEFF), soft
 * hyphens; nor line and paragraph separators. Letters of every script stay.
 */
export function withoutControlCharacters(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "");
}
