// A small syntax highlighter for code blocks in data: comments, strings, numbers, keywords
// and called functions, for the C, Python and shell families. Good enough to read code at a
// glance; each token keeps its offset so search highlights still apply inside code.

export interface Token {
  text: string;
  start: number;
  cls: "" | "kw" | "str" | "com" | "num" | "fn" | "lit";
}

const KEYWORDS = new Set(
  (
    "and as assert async await break case catch class const continue def default del do elif else " +
    "enum except export extends finally fn for from func function go if impl import in interface " +
    "is lambda let loop match mod module new nonlocal not of or package pass private protected " +
    "pub public raise return select static struct switch throw try type typeof use var void " +
    "where while with yield int float double char long bool boolean string str println print " +
    "SELECT FROM WHERE JOIN GROUP BY ORDER INSERT UPDATE DELETE INTO VALUES CREATE TABLE AND OR NOT"
  ).split(" "),
);
const LITERALS = new Set("True False None true false null nil undefined this self NULL".split(" "));
const HASH_COMMENTS = new Set(["py", "python", "sh", "bash", "shell", "ruby", "rb", "r", "yaml", "yml", "toml", "perl"]);

function pattern(lang: string): RegExp {
  const cStyle = String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/`;
  const comment = HASH_COMMENTS.has(lang)
    ? String.raw`#[^\n]*`
    : lang === "sql"
      ? String.raw`--[^\n]*|\/\*[\s\S]*?\*\/`
      : lang
        ? cStyle
        : `${cStyle}|#[^\n]*`;
  return new RegExp(
    [
      `(${comment})`,
      String.raw`("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\`(?:\\.|[^\`\\])*\`)`,
      String.raw`(\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[0-9a-f]+\b)`,
      String.raw`([A-Za-z_][\w]*)(?=\s*\()`,
      String.raw`([A-Za-z_][\w]*)`,
    ].join("|"),
    "gi",
  );
}

export function highlightCode(code: string, start: number, lang: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const plain = (end: number) => {
    if (end > at) tokens.push({ text: code.slice(at, end), start: start + at, cls: "" });
  };
  for (const match of code.matchAll(pattern(lang))) {
    const index = match.index ?? 0;
    plain(index);
    const [text, com, str, num, fn, word] = match;
    let cls: Token["cls"] = "";
    if (com) cls = "com";
    else if (str) cls = "str";
    else if (num) cls = "num";
    else if (fn) cls = KEYWORDS.has(fn) ? "kw" : "fn";
    else if (word) cls = KEYWORDS.has(word) ? "kw" : LITERALS.has(word) ? "lit" : "";
    tokens.push({ text, start: start + index, cls });
    at = index + text.length;
  }
  plain(code.length);
  return tokens;
}
