// Expressions: model text compiled to FEEL at deploy, evaluated by feelin at run time.
export type { Expression } from './expression.js';
export { compileExpression, type ExpressionCompilation, type PlainText } from './compile-expression.js';
export { evaluateCondition, evaluateExpression } from './evaluate.js';
export { ExpressionError, type ExpressionWarning } from './expression-error.js';
