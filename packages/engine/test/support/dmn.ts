// DMN files for the tests of business rule tasks and decisions, written as Camunda Modeler writes them
// (DMN 1.3, Camunda's namespace for its attributes).

/** a decision table `<id>`: its inputs (label, expression, typeRef), outputs (name, typeRef) and rules */
export interface Table {
  readonly id: string;
  readonly hitPolicy?: string;
  readonly aggregation?: string;
  readonly inputs: readonly (readonly [label: string, expression: string, typeRef: string])[];
  readonly outputs: readonly (readonly [name: string, typeRef: string])[];
  readonly rules: readonly (readonly string[])[];
  /** ids of the decisions it requires */
  readonly requires?: readonly string[];
}

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function table({ id, hitPolicy, aggregation, inputs, outputs, rules, requires = [] }: Table): string {
  const attributes = `${hitPolicy ? ` hitPolicy="${hitPolicy}"` : ''}${aggregation ? ` aggregation="${aggregation}"` : ''}`;
  return `
  <decision id="${id}" name="${id}">${requires.map((r) => `
    <informationRequirement id="req_${id}_${r}"><requiredDecision href="#${r}" /></informationRequirement>`).join('')}
    <decisionTable id="table_${id}"${attributes}>${inputs.map(([label, expression, typeRef], i) => `
      <input id="in_${id}_${i}" label="${label}"><inputExpression id="inx_${id}_${i}" typeRef="${typeRef}"><text>${escape(expression)}</text></inputExpression></input>`).join('')}${outputs.map(([name, typeRef], i) => `
      <output id="out_${id}_${i}" name="${name}" typeRef="${typeRef}" />`).join('')}${rules.map((cells, r) => `
      <rule id="rule_${id}_${r}">${cells.slice(0, inputs.length).map((cell, i) => `
        <inputEntry id="ie_${id}_${r}_${i}"><text>${escape(cell)}</text></inputEntry>`).join('')}${cells.slice(inputs.length).map((cell, i) => `
        <outputEntry id="oe_${id}_${r}_${i}"><text>${escape(cell)}</text></outputEntry>`).join('')}
      </rule>`).join('')}
    </decisionTable>
  </decision>`;
}

export const dmn = (definitionsId: string, ...tables: Table[]): string => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn" id="${definitionsId}" name="${definitionsId}" namespace="http://camunda.org/schema/1.0/dmn">${tables.map(table).join('')}
</definitions>`;

/** Camunda's dish example: what to serve by season and guest count (UNIQUE) */
export const dish = (springSteak = '"Steak"'): Table => ({
  id: 'dish',
  inputs: [['Season', 'season', 'string'], ['How many guests', 'guestCount', 'integer']],
  outputs: [['dish', 'string']],
  rules: [
    ['"Fall"', '<= 8', '"Spareribs"'],
    ['"Winter"', '<= 8', '"Roastbeef"'],
    ['"Spring"', '<= 4', '"Dry Aged Gourmet Steak"'],
    ['"Spring"', '[5..8]', springSteak],
    ['"Fall","Winter","Spring"', '> 8', '"Stew"'],
    ['"Summer"', '', '"Light Salad and a nice Steak"'],
  ],
});

/** what to drink with the dish (COLLECT), requiring `dish` */
export const beverages: Table = {
  id: 'beverages',
  hitPolicy: 'COLLECT',
  requires: ['dish'],
  inputs: [['Dish', 'dish', 'string'], ['Guests with children', 'guestsWithChildren', 'boolean']],
  outputs: [['beverages', 'string']],
  rules: [
    ['"Spareribs"', '', '"Aecht Schlenkerla Rauchbier"'],
    ['"Stew"', '', '"Guiness"'],
    ['"Roastbeef"', '', '"Bordeaux"'],
    ['"Steak","Dry Aged Gourmet Steak","Light Salad and a nice Steak"', '', '"Pinot Noir"'],
    ['', 'true', '"Apple Juice"'],
  ],
};
