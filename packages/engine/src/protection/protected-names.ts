// Which variables are protected: names, or patterns where `*` stands for any run of characters.

/** a test of a variable name against the patterns; no pattern protects nothing */
export function protectedNames(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const wildcards = patterns.filter((p) => p.includes('*'));
  if (wildcards.length === 0) return (name) => exact.has(name);
  const regex = new RegExp(`^(?:${wildcards.map((p) => p.split('*').map(escaped).join('.*')).join('|')})$`, 's');
  return (name) => exact.has(name) || regex.test(name);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `a, card_*` as PROTECTED_VARIABLES writes them: a comma list, blanks around names ignored */
export const parseProtectedNames = (text: string): string[] => text.split(',').map((p) => p.trim()).filter(Boolean);
