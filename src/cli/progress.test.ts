import { afterEach, describe, expect, it, vi } from "vitest";
import { progress } from "./progress.js";

/** A stream that records what is written to it, a terminal or not. */
function stream(tty: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    isTTY: tty,
    text: "",
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe("progress on the terminal", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stays quiet for work under a second, and always off a terminal", () => {
    vi.useFakeTimers();
    const quick = stream(true);
    const p = progress("cairn dossier build", quick);
    p.update("report model", 10);
    vi.advanceTimersByTime(900);
    p.stop();
    expect(quick.text).toBe("");
    const piped = stream(false);
    const q = progress("cairn dossier build", piped);
    vi.advanceTimersByTime(5000);
    q.update("pdf", 50);
    q.stop();
    expect(piped.text).toBe("");
  });

  it("after a second draws the phase on one line, redrawn by each step, cleared at the end", () => {
    vi.useFakeTimers();
    const tty = stream(true);
    const p = progress("cairn dossier build", tty);
    vi.advanceTimersByTime(1000);
    expect(tty.text).toBe("\r\x1b[Kcairn dossier build: working (1 s)");
    tty.text = "";
    // A step of CPU-bound work redraws at once (the timer may not get to run in between).
    p.update("pdf", 60);
    expect(tty.text).toBe("\r\x1b[Kcairn dossier build: pdf 60% (1 s)");
    p.update("sending evidence files", 3, 9);
    expect(tty.text.endsWith("sending evidence files 3/9 (1 s)")).toBe(true);
    tty.text = "";
    p.stop();
    expect(tty.text).toBe("\r\x1b[K");
  });
});
