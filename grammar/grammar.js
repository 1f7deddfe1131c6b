/**
 * Tree-sitter grammar for schemac's schema language (.schema files).
 *
 * The language reads like a lighter SQL: declarations of schemas,
 * extensions, collations, enums, sequences and tables; table bodies hold
 * columns, table constraints, indexes and comments, one entry per line.
 * Names, types and expressions are PostgreSQL's own; expressions are
 * parsed into real trees (with PostgreSQL's operator precedence) so that
 * later stages can reason about them.
 *
 * Keywords are case-insensitive and, thanks to `word`, only reserved where
 * the grammar expects them: a column may be called `key`, `status` or
 * `type` without quotes.
 *
 * The external scanner (src/scanner.c) handles what a regular expression
 * cannot: nested block comments, dollar-quoted strings, PostgreSQL's rules
 * for multi-character operators, and the `comment` keyword at the start of
 * a line, which begins the table's own comment rather than an attribute of
 * the column above it.
 */

const PREC = {
  or: 1,
  and: 2,
  not: 3,
  is: 4,
  compare: 5,
  pattern: 6, // BETWEEN, IN, LIKE, ILIKE, SIMILAR TO
  op: 7, // any other operator, including ||
  add: 8,
  mul: 9,
  exp: 10,
  at_tz: 11,
  collate: 12,
  unary: 13,
  subscript: 14,
  cast: 15,
};

/** A case-insensitive keyword, shown in the tree as its lower-case form. */
function kw(word) {
  const pattern = word
    .split('')
    .map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c))
    .join('');
  return alias(token(prec(1, new RegExp(pattern))), word);
}

/** Two keywords that must stand together (e.g. `not valid`), as one token. */
function kw2(a, b) {
  const ci = (w) =>
    w
      .split('')
      .map((c) => `[${c}${c.toUpperCase()}]`)
      .join('');
  return alias(token(prec(2, new RegExp(`${ci(a)}\\s+${ci(b)}`))), `${a} ${b}`);
}

function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

function commaSep(rule) {
  return optional(commaSep1(rule));
}

function parens(rule) {
  return seq('(', rule, ')');
}

/** Comparison and arithmetic operators with their precedence (shared by
 * a_expr and b_expr). */
function arithmeticOperators($) {
  return [
    [PREC.compare, choice('=', '<>', '!=', '<', '>', '<=', '>=')],
    [PREC.op, choice('||', $.custom_operator)],
    [PREC.add, choice('+', '-')],
    [PREC.mul, choice('*', '/', '%')],
    [PREC.exp, '^'],
  ];
}

/** Left-associative binary expressions over `operand`, one per [prec, op]. */
function binaryOperators(operand, table) {
  return choice(
    ...table.map(([p, op]) =>
      prec.left(p, seq(field('left', operand), field('operator', op), field('right', operand))),
    ),
  );
}

module.exports = grammar({
  name: 'schemac',

  word: ($) => $.identifier,

  extras: ($) => [/\s/, $.line_comment, $.block_comment],

  externals: ($) => [
    $.block_comment,
    $.dollar_string,
    $.custom_operator,
    $._table_comment_start,
  ],

  // Hidden rules that are only a choice of alternatives are inlined, so
  // the tree has no invisible wrapper nodes for them (fewer nodes to build
  // and to walk).
  inline: ($) => [
    $._name,
    $._string,
    $._declaration,
    $._table_entry,
    $._column_attribute,
    $._type_name,
    $._fk_option,
    $._sequence_option,
    $._sequence_declaration_option,
    $._argument,
    $._interval_field,
    $._deferrability,
  ],

  conflicts: ($) => [
    // After a column's attributes, `unique`, `primary key`, `check`,
    // `comment` and `constraint name ...` may continue the column or start
    // a table entry; the tokens that follow decide (a column list means a
    // table constraint).  When both readings parse, the column wins.
    [$.column_definition],
    // After a column's attributes, `unique`, `primary key`, `check` and
    // `constraint name ...` may continue the column or start a table
    // constraint; the next tokens decide (a column list means a table
    // constraint).
  ],

  rules: {
    source_file: ($) => repeat($._declaration),

    _declaration: ($) =>
      choice(
        $.schema_declaration,
        $.extension_declaration,
        $.collation_declaration,
        $.enum_declaration,
        $.sequence_declaration,
        $.table_declaration,
      ),

    // ---------------------------------------------------------------- names

    identifier: (_) => /([a-zA-Z_]|[^\x00-\x7F])([a-zA-Z0-9_$]|[^\x00-\x7F])*/,

    quoted_identifier: (_) => /"([^"]|"")*"/,

    _name: ($) => choice($.identifier, $.quoted_identifier),

    object_name: ($) =>
      seq(optional(seq(field('schema', $._name), '.')), field('name', $._name)),

    renamed_from: ($) => seq(kw('renamed'), kw('from'), field('name', $._name)),

    comment_clause: ($) => seq(kw('comment'), field('text', $._string)),

    // --------------------------------------------------------- declarations

    schema_declaration: ($) =>
      seq(kw('schema'), field('name', $._name), optional(field('comment', $.comment_clause))),

    extension_declaration: ($) =>
      seq(
        kw('extension'),
        field('name', $._name),
        optional(seq(kw('with'), kw('schema'), field('schema', $._name))),
        optional(seq(kw('version'), field('version', $._string))),
        optional(field('comment', $.comment_clause)),
      ),

    // CREATE COLLATION: `collation name (option = value, ...)`.  Which
    // options exist and what their values may be is left to the lowering,
    // which knows PostgreSQL's rules and reports them in words.
    collation_declaration: ($) =>
      seq(
        kw('collation'),
        field('name', $.object_name),
        '(',
        commaSep1(field('option', $.collation_option)),
        ')',
        optional(field('comment', $.comment_clause)),
      ),

    collation_option: ($) =>
      seq(field('name', $._name), '=', field('value', choice($._string, $._name, $.boolean))),

    enum_declaration: ($) =>
      seq(
        kw('enum'),
        field('name', $.object_name),
        optional(field('renamed', $.renamed_from)),
        '(',
        commaSep1(field('label', $.enum_label)),
        ')',
        optional(field('comment', $.comment_clause)),
      ),

    enum_label: ($) =>
      seq(
        field('value', $._string),
        optional(seq(kw('renamed'), kw('from'), field('old', $._string))),
      ),

    // CREATE SEQUENCE without the ceremony: options in any order (the
    // lowering reports one written twice), on one line or several.
    sequence_declaration: ($) =>
      seq(
        kw('sequence'),
        field('name', $.object_name),
        repeat(field('option', $._sequence_declaration_option)),
      ),

    _sequence_declaration_option: ($) =>
      choice($.sequence_type, $._sequence_option, $.owned_by, $.comment_clause),

    // Any type parses here, so that `as text` gets a clear error rather
    // than a syntax error.
    sequence_type: ($) => seq(kw('as'), field('type', $.type)),

    // `owned by [schema.]table.column` or `owned by none`.
    owned_by: ($) =>
      seq(
        kw('owned'),
        kw('by'),
        choice(
          kw('none'),
          seq(
            optional(seq(field('schema', $._name), '.')),
            field('table', $._name),
            '.',
            field('column', $._name),
          ),
        ),
      ),

    table_declaration: ($) =>
      seq(
        kw('table'),
        field('name', $.object_name),
        optional(field('renamed', $.renamed_from)),
        '{',
        repeat(seq($._table_entry, optional(','))),
        '}',
      ),

    _table_entry: ($) =>
      choice($.column_definition, $.table_constraint, $.index_definition, $.table_comment),

    // A `comment` that begins a line is the table's comment; on the same
    // line as a column it is that column's comment.
    table_comment: ($) =>
      choice(
        seq(alias($._table_comment_start, 'comment'), field('text', $._string)),
        // Mid-line, `comment` belongs to the column before it when it can.
        prec.dynamic(-1, seq(kw('comment'), field('text', $._string))),
      ),

    // -------------------------------------------------------------- columns

    column_definition: ($) =>
      seq(
        field('name', $._name),
        field('type', $.type),
        repeat(field('attribute', $._column_attribute)),
      ),

    _column_attribute: ($) =>
      choice(
        $.not_null,
        $.null,
        $.default,
        $.column_constraint,
        $.identity,
        $.generated,
        $.collate,
        $.renamed_from,
        $.comment_clause,
      ),

    not_null: (_) => seq(kw('not'), kw('null')),
    null: (_) => kw('null'),

    default: ($) => seq(kw('default'), field('value', $._b_expression)),

    column_constraint: ($) =>
      prec.dynamic(1, seq(
        optional(seq(kw('constraint'), field('name', $._name))),
        choice($.primary_key, $.unique, $.references, $.check),
      )),

    primary_key: ($) => seq(kw('primary'), kw('key'), optional($._deferrability)),

    unique: ($) =>
      seq(kw('unique'), optional($.nulls_not_distinct), optional($._deferrability)),

    // DEFERRABLE [INITIALLY ...] or NOT DEFERRABLE, after a primary key or
    // unique constraint (foreign keys take it among their options).
    _deferrability: ($) => choice($.deferrable, $.not_deferrable),

    nulls_not_distinct: ($) => seq(kw('nulls'), kw('not'), kw('distinct')),

    references: ($) =>
      seq(
        kw('references'),
        field('table', $.object_name),
        optional(field('columns', $.column_list)),
        repeat($._fk_option),
      ),

    _fk_option: ($) =>
      choice($.match, $.on_delete, $.on_update, $.deferrable, $.not_deferrable, $.not_valid),

    match: ($) => seq(kw('match'), field('kind', choice(kw('full'), kw('simple'), kw('partial')))),
    on_delete: ($) => seq(kw('on'), kw('delete'), field('action', $.referential_action)),
    on_update: ($) => seq(kw('on'), kw('update'), field('action', $.referential_action)),

    referential_action: ($) =>
      choice(
        kw('cascade'),
        kw('restrict'),
        seq(kw('no'), kw('action')),
        seq(kw('set'), kw('null'), optional($.column_list)),
        seq(kw('set'), kw('default'), optional($.column_list)),
      ),

    deferrable: ($) =>
      seq(
        kw('deferrable'),
        optional(seq(kw('initially'), field('initially', choice(kw('deferred'), kw('immediate'))))),
      ),
    not_deferrable: (_) =>
      seq(kw2('not', 'deferrable'), optional(seq(kw('initially'), kw('immediate')))),
    not_valid: (_) => kw2('not', 'valid'),

    check: ($) =>
      seq(
        kw('check'),
        '(',
        field('expression', $._expression),
        ')',
        repeat(choice($.no_inherit, $.not_valid)),
      ),

    no_inherit: (_) => kw2('no', 'inherit'),

    identity: ($) =>
      seq(
        kw('generated'),
        field('when', choice(kw('always'), seq(kw('by'), kw('default')))),
        kw('as'),
        kw('identity'),
        optional(seq('(', repeat1($._sequence_option), ')')),
      ),

    _sequence_option: ($) =>
      choice(
        $.start_with,
        $.increment_by,
        $.minvalue,
        $.maxvalue,
        $.cache,
        $.cycle,
      ),

    start_with: ($) => seq(kw('start'), optional(kw('with')), field('value', $.signed_number)),
    increment_by: ($) => seq(kw('increment'), optional(kw('by')), field('value', $.signed_number)),
    minvalue: ($) => choice(seq(kw('minvalue'), field('value', $.signed_number)), kw2('no', 'minvalue')),
    maxvalue: ($) => choice(seq(kw('maxvalue'), field('value', $.signed_number)), kw2('no', 'maxvalue')),
    cache: ($) => seq(kw('cache'), field('value', $.signed_number)),
    cycle: (_) => choice(kw('cycle'), kw2('no', 'cycle')),

    signed_number: ($) => seq(optional(choice('-', '+')), $.number),

    generated: ($) =>
      seq(
        kw('generated'),
        kw('always'),
        kw('as'),
        '(',
        field('expression', $._expression),
        ')',
        kw('stored'),
      ),

    collate: ($) => seq(kw('collate'), field('collation', $.object_name)),

    // -------------------------------------------------------------- types

    type: ($) =>
      prec.right(
        seq(
          field('name', $._type_name),
          optional(field('modifiers', $.type_modifiers)),
          optional(field('time_zone', $.time_zone)),
          repeat(field('array', $.array_bound)),
        ),
      ),

    _type_name: ($) => choice($.object_name, $.keyword_type),

    // Type names of more than one word, and the keywords that begin them.
    keyword_type: ($) =>
      choice(
        seq(kw('double'), kw('precision')),
        seq(choice(kw('character'), kw('char'), kw('nchar')), optional(kw('varying'))),
        seq(kw('national'), choice(kw('character'), kw('char')), optional(kw('varying'))),
        seq(kw('bit'), optional(kw('varying'))),
        kw('timestamp'),
        kw('time'),
        seq(kw('interval'), optional($.interval_fields)),
      ),

    interval_fields: ($) =>
      seq($._interval_field, optional(seq(kw('to'), $._interval_field))),

    _interval_field: (_) =>
      choice(kw('year'), kw('month'), kw('day'), kw('hour'), kw('minute'), kw('second')),

    type_modifiers: ($) => seq('(', commaSep1(choice($.signed_number, $.identifier, $._string)), ')'),

    time_zone: (_) => seq(choice(kw('with'), kw('without')), kw('time'), kw('zone')),

    array_bound: ($) => seq('[', optional($.number), ']'),

    // --------------------------------------------------- table constraints

    // A `comment` after a table constraint is the constraint's own
    // (COMMENT ON CONSTRAINT): the right associativity makes the parser
    // take it rather than end the entry there.
    table_constraint: ($) =>
      prec.right(
        seq(
          optional(seq(kw('constraint'), field('name', $._name))),
          choice(
            $.primary_key_constraint,
            $.unique_constraint,
            $.foreign_key_constraint,
            $.check,
          ),
          optional(field('comment', $.comment_clause)),
        ),
      ),

    primary_key_constraint: ($) =>
      seq(
        kw('primary'),
        kw('key'),
        field('columns', $.column_list),
        optional($.include),
        optional($._deferrability),
      ),

    unique_constraint: ($) =>
      seq(
        kw('unique'),
        optional($.nulls_not_distinct),
        field('columns', $.column_list),
        optional($.include),
        optional($._deferrability),
      ),

    foreign_key_constraint: ($) =>
      seq(
        kw('foreign'),
        kw('key'),
        field('columns', $.column_list),
        kw('references'),
        field('table', $.object_name),
        optional(field('referenced', $.column_list)),
        repeat($._fk_option),
      ),

    column_list: ($) => seq('(', commaSep1($._name), ')'),

    include: ($) => seq(kw('include'), field('columns', $.column_list)),

    // ------------------------------------------------------------- indexes

    // `unique index` after a column could also read as a unique column
    // followed by an index; the unique-index reading wins.
    index_definition: ($) =>
      choice(
        prec.dynamic(3, seq(field('unique', kw('unique')), $._index_body)),
        $._index_body,
      ),

    // A trailing `comment` is the index's own (COMMENT ON INDEX).
    _index_body: ($) =>
      prec.right(seq(
        kw('index'),
        optional(field('name', $._name)),
        '(',
        commaSep1(field('key', $.index_key)),
        ')',
        optional(seq(kw('using'), field('method', $._name))),
        optional($.include),
        optional($.nulls_not_distinct),
        optional(seq(kw('where'), field('where', $._expression))),
        optional(field('comment', $.comment_clause)),
      )),

    index_key: ($) =>
      seq(
        field(
          'value',
          choice($._name, $.function_call, $.parenthesized_expression),
        ),
        optional(seq(kw('collate'), field('collation', $.object_name))),
        optional(field('opclass', $.object_name)),
        optional(field('order', choice(kw('asc'), kw('desc')))),
        optional(seq(kw('nulls'), field('nulls', choice(kw('first'), kw('last'))))),
      ),

    // --------------------------------------------------------- expressions
    //
    // `_expression` is PostgreSQL's a_expr; `_b_expression` its restricted
    // b_expr (no AND/OR/NOT/IS/IN/BETWEEN/LIKE), used after `default` and
    // for BETWEEN's lower bound, so that `default 1 not null` reads as SQL
    // reads it.

    _expression: ($) =>
      choice(
        $._primary_expression,
        $.binary_expression,
        $.unary_expression,
        $.is_expression,
        $.between_expression,
        $.in_expression,
        $.like_expression,
        $.cast_expression,
        $.collate_expression,
        $.at_time_zone_expression,
        $.subscript_expression,
        $.overlaps_expression,
      ),

    _b_expression: ($) =>
      choice(
        $._primary_expression,
        alias($._b_binary_expression, $.binary_expression),
        alias($._b_unary_expression, $.unary_expression),
        alias($._b_cast_expression, $.cast_expression),
        alias($._b_subscript_expression, $.subscript_expression),
      ),

    _primary_expression: ($) =>
      choice(
        $.column_reference,
        $.number,
        $._string,
        $.boolean,
        $.null_literal,
        $.typed_literal,
        $.function_call,
        $.parenthesized_expression,
        $.field_selection,
        $.row_expression,
        $.case_expression,
        $.array_expression,
      ),

    binary_expression: ($) =>
      binaryOperators($._expression, [
        [PREC.or, kw('or')],
        [PREC.and, kw('and')],
        ...arithmeticOperators($),
      ]),

    _b_binary_expression: ($) => binaryOperators($._b_expression, arithmeticOperators($)),

    unary_expression: ($) =>
      choice(
        prec(PREC.unary, seq(field('operator', choice('-', '+')), field('operand', $._expression))),
        prec.left(PREC.op, seq(field("operator", $.custom_operator), field("operand", $._expression))),
        prec.right(PREC.not, seq(field('operator', kw('not')), field('operand', $._expression))),
      ),

    _b_unary_expression: ($) =>
      choice(
        prec(PREC.unary, seq(field('operator', choice('-', '+')), field('operand', $._b_expression))),
        prec.left(PREC.op, seq(field("operator", $.custom_operator), field("operand", $._b_expression))),
      ),

    is_expression: ($) =>
      choice(
        prec.left(
          PREC.is,
          seq(
            field('value', $._expression),
            kw('is'),
            optional(field('not', kw('not'))),
            field(
              'test',
              choice(
                kw('null'),
                kw('true'),
                kw('false'),
                kw('unknown'),
                kw('document'),
                kw('normalized'),
                seq(kw('distinct'), kw('from'), field('other', $._expression)),
              ),
            ),
          ),
        ),
        prec.left(PREC.is, seq(field('value', $._expression), field('test', choice(kw('isnull'), kw('notnull'))))),
      ),

    between_expression: ($) =>
      prec.left(
        PREC.pattern,
        seq(
          field('value', $._expression),
          optional(field('not', kw('not'))),
          kw('between'),
          optional(field('symmetric', kw('symmetric'))),
          field('low', $._b_expression),
          kw('and'),
          field('high', $._expression),
        ),
      ),

    in_expression: ($) =>
      prec.left(
        PREC.pattern,
        seq(
          field('value', $._expression),
          optional(field('not', kw('not'))),
          kw('in'),
          field('list', $.expression_list),
        ),
      ),

    expression_list: ($) => seq('(', commaSep1($._expression), ')'),

    like_expression: ($) =>
      prec.left(
        PREC.pattern,
        seq(
          field('value', $._expression),
          optional(field('not', kw('not'))),
          field('operator', choice(kw('like'), kw('ilike'), seq(kw('similar'), kw('to')))),
          field('pattern', $._expression),
          optional(seq(kw('escape'), field('escape', $._expression))),
        ),
      ),

    // PostgreSQL's `row OVERLAPS row`: both sides are row constructors
    // (`(a, b)` or `row(a, b)`), so it needs no precedence of its own.
    overlaps_expression: ($) =>
      seq(field('left', $.row_expression), kw('overlaps'), field('right', $.row_expression)),

    cast_expression: ($) =>
      prec.left(PREC.cast, seq(field('value', $._expression), '::', field('type', $.type))),

    _b_cast_expression: ($) =>
      prec.left(PREC.cast, seq(field('value', $._b_expression), '::', field('type', $.type))),

    collate_expression: ($) =>
      prec.left(
        PREC.collate,
        seq(field('value', $._expression), kw('collate'), field('collation', $.object_name)),
      ),

    at_time_zone_expression: ($) =>
      prec.left(
        PREC.at_tz,
        seq(field('value', $._expression), kw('at'), kw('time'), kw('zone'), field('zone', $._expression)),
      ),

    subscript_expression: ($) =>
      prec.left(
        PREC.subscript,
        seq(field('value', $._expression), '[', $._subscript, ']'),
      ),

    _b_subscript_expression: ($) =>
      prec.left(
        PREC.subscript,
        seq(field('value', $._b_expression), '[', $._subscript, ']'),
      ),

    _subscript: ($) =>
      choice(
        field('index', $._expression),
        seq(optional(field('lower', $._expression)), ':', optional(field('upper', $._expression))),
      ),

    _dotted_name: ($) => seq(field('name', $._name), repeat(seq('.', field('name', $._name)))),

    column_reference: ($) => $._dotted_name,

    function_call: ($) =>
      choice(
        seq(
          field('function', $.function_name),
          '(',
          optional(
            choice(
              field('star', '*'),
              seq(optional(field('distinct', kw('distinct'))), commaSep1(field('argument', $._argument))),
            ),
          ),
          ')',
        ),
        seq(
          field('function', alias(kw('cast'), $.function_name)),
          '(',
          field('argument', $._expression),
          kw('as'),
          field('type', $.type),
          ')',
        ),
        // SQL's special-syntax functions, as PostgreSQL writes them back.
        seq(
          field('function', alias(kw('position'), $.function_name)),
          '(',
          field('argument', $._b_expression),
          kw('in'),
          field('argument', $._b_expression),
          ')',
        ),
        seq(
          field('function', alias(kw('substring'), $.function_name)),
          '(',
          field('argument', $._expression),
          choice(
            seq(kw('from'), field('argument', $._expression), optional(seq(kw('for'), field('argument', $._expression)))),
            seq(kw('for'), field('argument', $._expression)),
            repeat1(seq(',', field('argument', $._expression))),
          ),
          ')',
        ),
        seq(
          field('function', alias(kw('trim'), $.function_name)),
          '(',
          optional(field('mode', choice(kw('both'), kw('leading'), kw('trailing')))),
          choice(
            seq(optional(field('argument', $._expression)), kw('from'), commaSep1(field('argument', $._expression))),
            commaSep1(field('argument', $._expression)),
          ),
          ')',
        ),
        seq(
          field('function', alias(kw('overlay'), $.function_name)),
          '(',
          field('argument', $._expression),
          kw('placing'),
          field('argument', $._expression),
          kw('from'),
          field('argument', $._expression),
          optional(seq(kw('for'), field('argument', $._expression))),
          ')',
        ),
        seq(
          field('function', alias(kw('extract'), $.function_name)),
          '(',
          field('field', choice($.identifier, $._string, $._interval_field)),
          kw('from'),
          field('argument', $._expression),
          ')',
        ),
      ),

    function_name: ($) => $._dotted_name,

    _argument: ($) => choice($._expression, $.named_argument, $.variadic_argument),

    named_argument: ($) => seq(field('name', $._name), '=>', field('value', $._expression)),

    variadic_argument: ($) => seq(kw('variadic'), field('value', $._expression)),

    parenthesized_expression: ($) => seq('(', $._expression, ')'),

    // (composite).field
    field_selection: ($) =>
      seq(field('value', $.parenthesized_expression), '.', field('field', choice($._name, '*'))),

    row_expression: ($) =>
      choice(
        seq(kw('row'), '(', commaSep($._expression), ')'),
        seq('(', $._expression, ',', commaSep1($._expression), ')'),
      ),

    case_expression: ($) =>
      seq(
        kw('case'),
        optional(field('value', $._expression)),
        repeat1($.when_clause),
        optional(seq(kw('else'), field('else', $._expression))),
        kw('end'),
      ),

    when_clause: ($) =>
      seq(kw('when'), field('condition', $._expression), kw('then'), field('result', $._expression)),

    array_expression: ($) => seq(kw('array'), $.array_elements),

    array_elements: ($) => seq('[', commaSep(choice($._expression, $.array_elements)), ']'),

    typed_literal: ($) =>
      seq(
        field('type', choice($.identifier, alias(kw('interval'), $.identifier))),
        field('value', $._string),
      ),

    boolean: (_) => choice(kw('true'), kw('false')),

    null_literal: (_) => kw('null'),

    // ------------------------------------------------------------- tokens

    number: (_) => /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/,

    _string: ($) => choice($.string, $.escape_string, $.bit_string, $.dollar_string),

    string: (_) => /'([^']|'')*'/,

    escape_string: (_) => token(prec(1, /[eE]'([^'\\]|\\(.|\n)|'')*'/)),

    bit_string: (_) => token(prec(1, /[bBxX]'[^']*'/)),

    line_comment: (_) => token(seq('--', /[^\n]*/)),
  },
});
