/** What the page calls a contact, and what must be typed to erase one (the same words, so nobody guesses). */
export type Named = { name: string | null; phone: string | null; email: string | null; telegramChatId: string | null; leadStage: string };

export function displayName(contact: Named): string {
  if (contact.leadStage === 'erased') return 'Erased contact';
  return contact.name ?? contact.phone ?? contact.email ?? (contact.telegramChatId ? `Telegram ${contact.telegramChatId}` : 'Unnamed contact');
}

/** Typed confirmation matches regardless of case and spacing: it proves intent, it is not a password. */
export function confirmsErasure(contact: Named, typed: string): boolean {
  const plain = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();
  return plain(typed) !== '' && plain(typed) === plain(displayName(contact));
}
