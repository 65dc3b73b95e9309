/** A template's {fact} placeholders filled from the facts; an unknown or null fact stays as written. */
export function fill(template: string, facts: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => (facts[k] === undefined || facts[k] === null ? whole : String(facts[k])));
}
