const ADJECTIVES = ['Amber', 'Brisk', 'Cobalt', 'Dusty', 'Eager', 'Frosted', 'Golden'];
const NOUNS = ['Kettle', 'Lantern', 'Mug', 'Notebook', 'Pillow', 'Rucksack', 'Satchel', 'Teapot'];

/** The demo catalogue's product name: a pure function of the id, readable in logs. */
export function productName(id: string): string {
  const n = Number(id);
  return `${ADJECTIVES[n % ADJECTIVES.length]} ${NOUNS[n % NOUNS.length]} #${n}`;
}
