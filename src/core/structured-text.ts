import { createRequire } from "node:module";
import type { Problem } from "./problem.js";

type YamlModule = typeof import("yaml");
let yamlModule: YamlModule | undefined;

/** The yaml parser costs ~35 ms to import: load it only for YAML input and on the error path. */
function yaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)("yaml") as YamlModule;
  return yamlModule;
}

export type TextFormat = "json" | "yaml";

export function formatFromName(name: string): TextFormat {
  return /\.ya?ml$/i.test(name) ? "yaml" : "json";
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Parses JSON or YAML. JSON goes through JSON.parse (the fast path for bundled data); YAML and the
 * error path go through the yaml parser, which knows line positions.
 */
export function parseStructured(
  text: string,
  source: string,
  format: TextFormat,
): { value?: unknown; problems: Problem[] } {
  if (format === "json") {
    try {
      return { value: JSON.parse(text), problems: [] };
    } catch (err) {
      const message = (err as Error).message;
      const at = /position (\d+)/.exec(message);
      const pos = at ? lineColumn(text, Number(at[1])) : lineColumn(text, text.length);
      const clean = message.replace(/^JSON\.parse: /, "").replace(/ in JSON at position \d+.*$/, "");
      return { problems: [{ source, ...pos, message: `malformed JSON: ${clean}` }] };
    }
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  // logLevel "error": the yaml library would otherwise print its warnings on the process's stderr.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: "error" });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          source,
          line: pos.line,
          column: pos.col,
          message: `malformed YAML: ${e.message.split("\n")[0]}`,
        };
      }),
    };
  }
  // Resolving aliases can still fail: an alias before its anchor, a merge of a non-map, and the
  // alias limit that stops "billion laughs" documents. Each is the file's problem, not a crash.
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), problems: [] };
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    const reason = /Excessive alias count/.test(message)
      ? "too many aliases (more than 100 resolved): refused as a resource exhaustion attack"
      : message.split("\n")[0];
    return { problems: [{ source, message: `malformed YAML: ${reason}` }] };
  }
}

/**
 * Finds the line of the node at a path (object keys and array indexes). Used only on the error
 * path, so it can afford a second parse.
 */
export function createPositionFinder(
  text: string,
): (path: (string | number)[]) => { line: number; column: number } | undefined {
  let doc: ReturnType<YamlModule["parseDocument"]> | undefined;
  let lineCounter: InstanceType<YamlModule["LineCounter"]> | undefined;
  return (path) => {
    if (!doc || !lineCounter) {
      const { LineCounter, parseDocument } = yaml();
      lineCounter = new LineCounter();
      doc = parseDocument(text, { lineCounter });
    }
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && Array.isArray(node.range)) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
}

/** Splits a JSON pointer ("/items/3/kind") into keys, array indexes as numbers. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((seg) => seg.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}
