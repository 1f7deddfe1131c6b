; Syntax highlighting for schemac schema files (.schema).
;
; Every node named here exists in src/node-types.json.  No node is
; captured twice, so the result does not depend on whether an editor lets
; the first or the last matching pattern win; where a token needs a
; different colour in one context (`null` as a value, `with` in a type),
; it is left out of the general lists below and captured in its context.

; ------------------------------------------------------------- comments

(line_comment) @comment
(block_comment) @comment

; ------------------------------------------------------------- literals

(string) @string
(escape_string) @string
(dollar_string) @string
(bit_string) @string.special

(number) @number

(boolean) @boolean
(null_literal) @constant.builtin

(is_expression
  [
    "null"
    "true"
    "false"
    "unknown"
  ] @constant.builtin)

; ---------------------------------------------------------------- types

(type) @type
(keyword_type) @type.builtin
(time_zone) @type.builtin
(typed_literal
  type: (identifier) @type)

; --------------------------------------------------------- declarations

(schema_declaration
  name: (_) @namespace)

(extension_declaration
  name: (_) @module)
(extension_declaration
  schema: (_) @namespace)

(enum_declaration
  name: (object_name
    name: (_) @type.definition))
(enum_declaration
  renamed: (renamed_from
    name: (_) @type))

(collation_declaration
  name: (object_name
    name: (_) @type.definition))
(collation_option
  name: (_) @property)
(collation_option
  value: [
    (identifier)
    (quoted_identifier)
  ] @constant)

(sequence_declaration
  name: (object_name
    name: (_) @type.definition))
(owned_by
  schema: (_) @namespace)
(owned_by
  table: (_) @type)
(owned_by
  column: (_) @property)

(table_declaration
  name: (object_name
    name: (_) @type.definition))
(table_declaration
  renamed: (renamed_from
    name: (_) @type))

(object_name
  schema: (_) @namespace)

; ------------------------------------------------- columns and references

(column_definition
  name: (_) @property)
(column_definition
  attribute: (renamed_from
    name: (_) @property))

(column_list
  [
    (identifier)
    (quoted_identifier)
  ] @property)

(index_key
  value: [
    (identifier)
    (quoted_identifier)
  ] @property)

(column_reference) @variable

(references
  table: (object_name
    name: (_) @type))
(foreign_key_constraint
  table: (object_name
    name: (_) @type))

; Names of constraints and indexes.
(column_constraint
  name: (_) @label)
(table_constraint
  name: (_) @label)
(index_definition
  name: (_) @label)

(index_definition
  method: (_) @attribute)
(index_key
  opclass: (object_name
    name: (_) @attribute))

(collate
  collation: (object_name
    name: (_) @string.special))
(collate_expression
  collation: (object_name
    name: (_) @string.special))
(index_key
  collation: (object_name
    name: (_) @string.special))

; ------------------------------------------------------------ functions

(function_name) @function

(named_argument
  name: (_) @variable.parameter)

; extract(year from x)
(function_call
  field: (identifier) @variable.parameter)
(function_call
  [
    "year"
    "month"
    "day"
    "hour"
    "minute"
    "second"
  ] @variable.parameter)

; ------------------------------------------------------------- keywords

[
  "action"
  "always"
  "array"
  "as"
  "asc"
  "by"
  "cache"
  "cascade"
  "case"
  "check"
  "collate"
  "collation"
  "comment"
  "constraint"
  "cycle"
  "default"
  "deferrable"
  "deferred"
  "delete"
  "desc"
  "distinct"
  "document"
  "else"
  "end"
  "enum"
  "extension"
  "first"
  "foreign"
  "from"
  "full"
  "generated"
  "identity"
  "immediate"
  "include"
  "increment"
  "index"
  "initially"
  "key"
  "last"
  "match"
  "maxvalue"
  "minvalue"
  "no"
  "no cycle"
  "no inherit"
  "no maxvalue"
  "no minvalue"
  "none"
  "normalized"
  "not deferrable"
  "not valid"
  "nulls"
  "on"
  "owned"
  "partial"
  "primary"
  "references"
  "renamed"
  "restrict"
  "row"
  "schema"
  "sequence"
  "set"
  "simple"
  "start"
  "stored"
  "table"
  "then"
  "unique"
  "update"
  "using"
  "variadic"
  "version"
  "when"
  "where"
] @keyword

; `null` is a keyword in `not null`, `null` and `set null`; a value
; elsewhere (see literals above).
(not_null
  "null" @keyword)
(null
  "null" @keyword)
(referential_action
  "null" @keyword)

; `with` is a keyword here; in `with time zone` it is part of the type.
(extension_declaration
  "with" @keyword)
(start_with
  "with" @keyword)

[
  "and"
  "or"
  "not"
  "is"
  "isnull"
  "notnull"
  "in"
  "between"
  "symmetric"
  "like"
  "ilike"
  "similar"
  "escape"
  "at"
  "overlaps"
] @keyword.operator

(like_expression
  "to" @keyword.operator)
(at_time_zone_expression
  [
    "time"
    "zone"
  ] @keyword.operator)

; ------------------------------------------------------------ operators

[
  "="
  "<>"
  "!="
  "<"
  ">"
  "<="
  ">="
  "+"
  "-"
  "*"
  "/"
  "%"
  "^"
  "||"
  "::"
  "=>"
] @operator

(custom_operator) @operator

; ---------------------------------------------------------- punctuation

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  ","
  "."
  ":"
] @punctuation.delimiter
