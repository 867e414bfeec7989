import { statSync } from "node:fs";

/**
 * What a file-system failure means to the person who typed the path, and what to do: "no file at
 * X: check the path", not ENOENT. `what` names the file's role ("evidence file", "profile").
 */
export function fileErrorMessage(path: string, err: unknown, what = "file"): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return `no ${what} at ${path}: check the path (it is read relative to ${process.cwd()})`;
    case "EISDIR":
      return `${path} is a folder: give the path of the ${what} itself`;
    case "ENOTDIR":
      return `${path}: a part of this path is a file, not a folder: check the path`;
    case "EACCES":
    case "EPERM":
      return `${path}: permission denied: the ${what} cannot be read by this user`;
    case "EMFILE":
    case "ENFILE":
      return `${path}: too many open files: try again`;
    default:
      return `cannot read the ${what} ${path}: ${(err as Error)?.message ?? String(err)}`;
  }
}

/** Undefined when `path` is a readable regular file; else the message saying what is wrong. */
export function notAFile(path: string, what = "file"): string | undefined {
  try {
    if (statSync(path).isDirectory()) return fileErrorMessage(path, { code: "EISDIR" }, what);
    return undefined;
  } catch (err) {
    return fileErrorMessage(path, err, what);
  }
}

/** A Node file-system error (it carries an errno code and the path it failed on). */
export function isFileSystemError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  const e = err as NodeJS.ErrnoException | undefined;
  return (
    typeof e?.code === "string" &&
    typeof e.path === "string" &&
    ["ENOENT", "EISDIR", "ENOTDIR", "EACCES", "EPERM", "EMFILE", "ENFILE"].includes(e.code)
  );
}

/**
 * Why a file the server keeps (an evidence blob, a built dossier) cannot be read or written, for a
 * person who did not type its path: what is wrong with the data folder, not an errno code.
 */
export function storageProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "EISDIR":
      return "a folder stands where the file should be";
    case "ENOTDIR":
    case "EEXIST":
      return "a file stands where a folder should be";
    case "EACCES":
    case "EPERM":
      return "the server's user may not read or write it (permission denied)";
    case "ENOSPC":
    case "EDQUOT":
      return "the disk is full";
    case "EROFS":
      return "the file system is read-only";
    case "EIO":
      return "the disk reported an input/output error";
    case "EMFILE":
    case "ENFILE":
      return "too many files are open on the server";
    default:
      return (err as Error)?.message ?? String(err);
  }
}
