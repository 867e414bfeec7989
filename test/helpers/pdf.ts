import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

// Reads a PDF as a reader does, with Mozilla's pdf.js: the text of each page (through the embedded
// fonts' ToUnicode maps), the structure tree of each page (roles, alternative text), the marked
// content that is not artifact, and the document's language, title and MarkInfo.

export interface StructNode {
  role?: string;
  alt?: string;
  lang?: string;
  children?: (StructNode | { type: string; id?: string })[];
}

export interface PdfReading {
  pages: string[];
  trees: (StructNode | null)[];
  /** Text runs of each page that sit outside any marked content (neither tagged nor artifact). */
  untagged: string[][];
  lang?: string;
  title?: string;
  displayTitle: boolean;
  marked: boolean;
  pdfua: boolean;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfReading> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  const trees: (StructNode | null)[] = [];
  const untagged: string[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const texts: string[] = [];
    const loose: string[] = [];
    let depth = 0;
    for (const item of content.items as { type?: string; str?: string }[]) {
      if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") depth++;
      else if (item.type === "endMarkedContent") depth--;
      else if (typeof item.str === "string") {
        texts.push(item.str);
        if (depth === 0 && item.str.trim()) loose.push(item.str);
      }
    }
    pages.push(texts.join(" "));
    untagged.push(loose);
    trees.push((await page.getStructTree()) as StructNode | null);
  }
  const meta = await doc.getMetadata();
  const info = meta.info as { Title?: string; Language?: string };
  const markInfo = (await doc.getMarkInfo()) as { Marked?: boolean } | null;
  const xmp = meta.metadata?.getRaw?.() ?? "";
  const viewer = (await doc.getViewerPreferences()) as { DisplayDocTitle?: boolean } | null;
  const out: PdfReading = {
    pages,
    trees,
    untagged,
    displayTitle: viewer?.DisplayDocTitle === true,
    marked: markInfo?.Marked === true,
    pdfua: /pdfuaid:part>1</.test(String(xmp)),
  };
  if (info.Language) out.lang = info.Language;
  if (info.Title) out.title = info.Title;
  await doc.destroy();
  return out;
}

/** Every node of a structure tree, depth first (the reading order). */
export function structNodes(tree: StructNode | null): StructNode[] {
  const out: StructNode[] = [];
  const walk = (n: StructNode) => {
    out.push(n);
    for (const c of n.children ?? []) if ("role" in c || "children" in c) walk(c as StructNode);
  };
  if (tree) walk(tree);
  return out;
}
