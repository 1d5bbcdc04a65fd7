#!/usr/bin/env python3
"""check_schema.py: check JSON reports against a JSON Schema (draft 2020-12 subset).

    python3 tests/schema/check_schema.py SCHEMA REPORT...

Self-contained (Python standard library only). It implements the part of
JSON Schema draft 2020-12 that doc/report.schema.json uses, and refuses a
schema with any other keyword (exit 2), so the schema cannot silently rely on
a keyword this checker would ignore:

  assertions   type (a name or a list of names), enum, const, minimum,
               maximum, pattern, minItems, required, properties,
               additionalProperties (boolean or schema), items (one schema),
               anyOf, $ref (only "#/$defs/NAME")
  annotations  $schema (must be draft 2020-12), $defs, $comment, title,
               description

Prints one line per problem, `REPORT: PATH: what is wrong`, with PATH a JSON
path into the report ($.checks[3].samples[0].row), then `N passed, N failed`
(reports). Exit status: 0 every report is valid, 1 one is not (or is not
JSON), 2 usage error or a schema this checker cannot apply.
"""
import json
import re
import sys

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
ANNOTATIONS = {"$schema", "$defs", "$comment", "title", "description"}
ASSERTIONS = {"type", "enum", "const", "minimum", "maximum", "pattern", "minItems", "required",
              "properties", "additionalProperties", "items", "anyOf", "$ref"}
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class SchemaError(Exception):
    """The schema uses something this checker does not implement, or is malformed."""


def path_key(path, key):
    return f"{path}.{key}" if IDENT.match(key) else f"{path}[{json.dumps(key)}]"


def show(v, limit=60):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= limit else s[:limit - 3] + "..."


# ---- loading and checking the schema itself ----

def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Schema:
    def __init__(self, root):
        if not isinstance(root, dict):
            raise SchemaError("#: the schema must be a JSON object")
        if "$schema" in root and root["$schema"] != DRAFT:
            raise SchemaError(f"#/$schema: only {DRAFT} is supported, not {show(root['$schema'])}")
        self.root = root
        self.patterns = {}
        self.walk(root, "#", top=True)

    def defn(self, ref, where):
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            raise SchemaError(f"{where}: only $ref of the form #/$defs/NAME is supported, not {show(ref)}")
        name = ref[len("#/$defs/"):]
        defs = self.root.get("$defs", {})
        if "/" in name or "~" in name or "%" in name or name not in defs:
            raise SchemaError(f"{where}: $ref {show(ref)} names no entry of #/$defs")
        return defs[name]

    def walk(self, s, where, top=False):
        """Refuse any keyword not implemented, and malformed values of the implemented ones."""
        if isinstance(s, bool):
            return
        if not isinstance(s, dict):
            raise SchemaError(f"{where}: a schema must be an object or a boolean, not {show(s)}")
        for k in s:
            if k not in ANNOTATIONS and k not in ASSERTIONS:
                raise SchemaError(f"{where}: keyword {show(k)} is not implemented by this checker")
            if k == "$schema" and not top:
                raise SchemaError(f"{where}: $schema is only supported at the top")
        at = lambda k: f"{where}/{k}"
        if "type" in s:
            t = s["type"]
            names = t if isinstance(t, list) else [t]
            if not names or any(n not in TYPES for n in names) or len(set(names)) != len(names):
                raise SchemaError(f"{at('type')}: not a type name or a list of distinct ones: {show(t)}")
        if "enum" in s and (not isinstance(s["enum"], list) or not s["enum"]):
            raise SchemaError(f"{at('enum')}: must be a non-empty array")
        for k in ("minimum", "maximum"):
            if k in s and not is_number(s[k]):
                raise SchemaError(f"{at(k)}: must be a number")
        if "minItems" in s and not (isinstance(s["minItems"], int) and not isinstance(s["minItems"], bool)
                                    and s["minItems"] >= 0):
            raise SchemaError(f"{at('minItems')}: must be an integer >= 0")
        if "pattern" in s:
            try:
                self.patterns[s["pattern"]] = re.compile(s["pattern"], re.ASCII)
            except (re.error, TypeError) as e:
                raise SchemaError(f"{at('pattern')}: not a regular expression this checker can use: {e}")
        if "required" in s:
            r = s["required"]
            if not isinstance(r, list) or not all(isinstance(x, str) for x in r) or len(set(r)) != len(r):
                raise SchemaError(f"{at('required')}: must be an array of distinct strings")
        for k in ("properties", "$defs"):
            if k in s:
                if not isinstance(s[k], dict):
                    raise SchemaError(f"{at(k)}: must be an object")
                for name, sub in s[k].items():
                    self.walk(sub, f"{at(k)}/{name}")
        for k in ("additionalProperties", "items"):
            if k in s:
                self.walk(s[k], at(k))
        if "anyOf" in s:
            if not isinstance(s["anyOf"], list) or not s["anyOf"]:
                raise SchemaError(f"{at('anyOf')}: must be a non-empty array")
            for i, sub in enumerate(s["anyOf"]):
                self.walk(sub, f"{at('anyOf')}/{i}")
        if "$ref" in s:
            self.defn(s["$ref"], at("$ref"))

    # ---- validating an instance ----

    def validate(self, v, s, path, errs):
        if s is True:
            return
        if s is False:
            errs.append(f"{path}: not allowed here")
            return
        if "$ref" in s:
            self.validate(v, self.defn(s["$ref"], "$ref"), path, errs)
        if "type" in s:
            names = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(has_type(v, n) for n in names):
                errs.append(f"{path}: expected {' or '.join(names)}, got {type_name(v)} {show(v)}")
                return  # the other keywords would only repeat it
        if "const" in s and not json_equal(v, s["const"]):
            errs.append(f"{path}: expected {show(s['const'])}, got {show(v)}")
        if "enum" in s and not any(json_equal(v, e) for e in s["enum"]):
            errs.append(f"{path}: {show(v)} is not one of {', '.join(show(e) for e in s['enum'])}")
        if is_number(v):
            if "minimum" in s and v < s["minimum"]:
                errs.append(f"{path}: {show(v)} is less than the minimum {show(s['minimum'])}")
            if "maximum" in s and v > s["maximum"]:
                errs.append(f"{path}: {show(v)} is more than the maximum {show(s['maximum'])}")
        if isinstance(v, str) and "pattern" in s and not self.patterns[s["pattern"]].search(v):
            errs.append(f"{path}: {show(v)} does not match the pattern {show(s['pattern'])}")
        if isinstance(v, list):
            if "minItems" in s and len(v) < s["minItems"]:
                errs.append(f"{path}: {len(v)} items, at least {s['minItems']} expected")
            if "items" in s:
                for i, x in enumerate(v):
                    self.validate(x, s["items"], f"{path}[{i}]", errs)
        if isinstance(v, dict):
            for k in s.get("required", ()):
                if k not in v:
                    errs.append(f"{path_key(path, k)}: required key is missing")
            props = s.get("properties", {})
            for k, x in v.items():
                if k in props:
                    self.validate(x, props[k], path_key(path, k), errs)
                elif s.get("additionalProperties") is False:
                    errs.append(f"{path_key(path, k)}: key not allowed (additionalProperties is false)")
                elif "additionalProperties" in s:
                    self.validate(x, s["additionalProperties"], path_key(path, k), errs)
        if "anyOf" in s:
            branches = []
            for sub in s["anyOf"]:
                e = []
                self.validate(v, sub, path, e)
                if not e:
                    break
                branches.append("; ".join(x[len(path) + 2:] if x.startswith(path + ": ") else x for x in e))
            else:
                errs.append(f"{path}: matches none of anyOf: " + " | ".join(branches))


def has_type(v, name):
    if name == "null":
        return v is None
    if name == "boolean":
        return isinstance(v, bool)
    if name == "integer":
        return is_number(v) and (isinstance(v, int) or v.is_integer())
    if name == "number":
        return is_number(v)
    if name == "string":
        return isinstance(v, str)
    if name == "array":
        return isinstance(v, list)
    return isinstance(v, dict)


def type_name(v):
    for n in ("null", "boolean", "integer", "number", "string", "array"):
        if has_type(v, n):
            return n
    return "object"


def json_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


# ---- reading reports ----

class Duplicate(Exception):
    pass


def no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Duplicate(k)
        d[k] = v
    return d


def not_json_constant(name):
    raise ValueError(f"{name} is not JSON")


def load_report(path):
    """The parsed report, or raises ValueError saying why it is not one."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ValueError(e.strerror or str(e))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 (byte {e.start})")
    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=not_json_constant)
    except Duplicate as e:
        raise ValueError(f"not JSON: duplicate key {show(str(e))}")
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON: {e.msg} at line {e.lineno} column {e.colno}")
    except ValueError as e:  # NaN, Infinity
        raise ValueError(f"not JSON: {e}")


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print("usage: check_schema.py SCHEMA REPORT...", file=sys.stderr)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = Schema(json.load(f))
    except OSError as e:
        print(f"check_schema.py: {argv[1]}: {e.strerror or e}", file=sys.stderr)
        return 2
    except (ValueError, SchemaError) as e:
        print(f"check_schema.py: {argv[1]}: {e}", file=sys.stderr)
        return 2
    passed = failed = 0
    for path in argv[2:]:
        try:
            report = load_report(path)
        except ValueError as e:
            errs = [f"$: {e}"]
        else:
            errs = []
            schema.validate(report, schema.root, "$", errs)
        for e in errs:
            print(f"{path}: {e}")
        if errs:
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
