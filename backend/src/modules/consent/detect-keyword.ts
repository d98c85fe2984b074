// Compliance keywords in an inbound message. Only a message that IS the keyword counts ("Stop.",
// " stop all ", "Unsubscribe!"), never one that merely contains it ("please don't stop sending").
export type KeywordIntent = 'opt_out' | 'opt_out_all' | 'opt_in' | 'help';
export type DetectedKeyword = { intent: KeywordIntent; keyword: string };

const KEYWORDS: Record<KeywordIntent, readonly string[]> = {
  // STOPALL and friends end every channel the contact has with the tenant.
  opt_out_all: ['STOPALL', 'STOP ALL', 'UNSUBSCRIBE ALL'],
  opt_out: [
    'STOP', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'OPT OUT', 'STOP PLEASE', 'PLEASE STOP',
    'BAJA', 'ALTO', 'PARAR', 'CANCELAR', 'DETENER', // Spanish
    'PARE', 'SAIR', 'PARAR DE RECEBER', 'DESCADASTRAR', // Portuguese (CANCELAR, PARAR above)
    'ARRET', 'DESABONNER', 'DESINSCRIRE', // French (STOP above; ARRÊT folds to ARRET)
    'STOPP', 'ABMELDEN', 'ABBESTELLEN', // German
  ],
  opt_in: ['START', 'UNSTOP', 'YES', 'SUBSCRIBE', 'OPTIN', 'OPT IN', 'RESUME', 'SI', 'SIM', 'OUI', 'JA', 'ALTA', 'COMENZAR', 'INICIAR'],
  help: ['HELP', 'INFO', 'AYUDA', 'AJUDA', 'AIDE', 'HILFE'],
};

/** Upper case, accents folded, punctuation and emoji dropped, runs of spaces collapsed. */
export function normalizeKeywordText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const LOOKUP = new Map<string, DetectedKeyword>();
for (const [intent, words] of Object.entries(KEYWORDS) as [KeywordIntent, readonly string[]][]) {
  for (const word of words) {
    const keyword = normalizeKeywordText(word);
    LOOKUP.set(keyword, { intent, keyword });
    LOOKUP.set(keyword.replace(/ /g, ''), { intent, keyword }); // "STOP ALL" = "STOPALL", "OPT OUT" = "OPTOUT"
  }
}

// A bare "yes" usually answers a question ("Can you come Tuesday?"): these only re-subscribe a contact
// who opted out; for anyone else the message is an ordinary reply.
const AMBIGUOUS_OPT_IN = new Set(['YES', 'SI', 'SIM', 'OUI', 'JA']);
export function isAmbiguousOptIn(keyword: DetectedKeyword): boolean {
  return keyword.intent === 'opt_in' && AMBIGUOUS_OPT_IN.has(keyword.keyword);
}

/** The keyword an inbound message consists of, or undefined for an ordinary message. */
export function detectKeyword(body: string | null | undefined): DetectedKeyword | undefined {
  if (!body || body.length > 64) return undefined;
  const text = normalizeKeywordText(body);
  return LOOKUP.get(text) ?? LOOKUP.get(text.replace(/ /g, ''));
}
