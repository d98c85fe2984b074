// The knowledge form: business facts and instructions as the API's prompt version body.
export type Facts = {
  businessName?: string; services?: string; prices?: string; hours?: string; address?: string;
  faq?: { question: string; answer: string }[]; tone?: string; language?: string; extra?: string;
};

const FIELDS = ['businessName', 'services', 'prices', 'hours', 'address', 'tone', 'language', 'extra'] as const;
const LIMITS: Record<(typeof FIELDS)[number], number> = {
  businessName: 200, services: 3000, prices: 3000, hours: 1000, address: 500, tone: 300, language: 50, extra: 4000,
};

/** "Question? Answer" lines: one FAQ entry per line, split at the first question mark. */
export function parseFaq(text: string): { question: string; answer: string }[] | string {
  const entries = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const at = line.indexOf('?');
    if (at < 1 || !line.slice(at + 1).trim()) return `Write each FAQ line as "Question? Answer" (this one has no answer: "${line.slice(0, 40)}")`;
    entries.push({ question: line.slice(0, at + 1), answer: line.slice(at + 1).trim() });
  }
  return entries;
}

export function faqText(faq: Facts['faq']): string {
  return (faq ?? []).map((item) => `${item.question} ${item.answer}`).join('\n');
}

export function factsFromForm(data: FormData): { body: { facts: Facts; instructions: string; note?: string } } | { errors: Record<string, string> } {
  const facts: Facts = {};
  const errors: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = String(data.get(field) ?? '').trim();
    if (value.length > LIMITS[field]) errors[field] = `At most ${LIMITS[field]} characters.`;
    else if (value) facts[field] = value;
  }
  const faq = parseFaq(String(data.get('faq') ?? ''));
  if (typeof faq === 'string') errors.faq = faq;
  else if (faq.length) facts.faq = faq;
  const instructions = String(data.get('instructions') ?? '').trim();
  if (instructions.length > 8000) errors.instructions = 'At most 8,000 characters.';
  if (!facts.businessName) errors.businessName = 'The agent needs the business name.';
  if (Object.keys(errors).length > 0) return { errors };
  const note = String(data.get('note') ?? '').trim();
  return { body: { facts, instructions, ...(note && { note: note.slice(0, 500) }) } };
}
