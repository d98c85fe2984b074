// Where a phone number's owner probably lives, for sending windows: the country's main zone, refined
// by area code in North America (many US/Canadian numbers are not on Eastern time). A guess, marked
// "inferred" on the contact; a time zone set by hand always wins.
const COUNTRY_ZONES: Record<string, string> = {
  US: 'America/New_York', CA: 'America/Toronto', MX: 'America/Mexico_City', BR: 'America/Sao_Paulo', AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago', CO: 'America/Bogota', PE: 'America/Lima', VE: 'America/Caracas', EC: 'America/Guayaquil', UY: 'America/Montevideo',
  PY: 'America/Asuncion', BO: 'America/La_Paz', CR: 'America/Costa_Rica', PA: 'America/Panama', GT: 'America/Guatemala', DO: 'America/Santo_Domingo',
  PR: 'America/Puerto_Rico', JM: 'America/Jamaica', GB: 'Europe/London', IE: 'Europe/Dublin', PT: 'Europe/Lisbon', ES: 'Europe/Madrid',
  FR: 'Europe/Paris', BE: 'Europe/Brussels', NL: 'Europe/Amsterdam', LU: 'Europe/Luxembourg', DE: 'Europe/Berlin', AT: 'Europe/Vienna',
  CH: 'Europe/Zurich', IT: 'Europe/Rome', DK: 'Europe/Copenhagen', NO: 'Europe/Oslo', SE: 'Europe/Stockholm', FI: 'Europe/Helsinki',
  PL: 'Europe/Warsaw', CZ: 'Europe/Prague', SK: 'Europe/Bratislava', HU: 'Europe/Budapest', RO: 'Europe/Bucharest', BG: 'Europe/Sofia',
  GR: 'Europe/Athens', HR: 'Europe/Zagreb', SI: 'Europe/Ljubljana', RS: 'Europe/Belgrade', UA: 'Europe/Kyiv', RU: 'Europe/Moscow',
  TR: 'Europe/Istanbul', IL: 'Asia/Jerusalem', AE: 'Asia/Dubai', SA: 'Asia/Riyadh', QA: 'Asia/Qatar', EG: 'Africa/Cairo', MA: 'Africa/Casablanca',
  NG: 'Africa/Lagos', GH: 'Africa/Accra', KE: 'Africa/Nairobi', ZA: 'Africa/Johannesburg', IN: 'Asia/Kolkata', PK: 'Asia/Karachi',
  BD: 'Asia/Dhaka', LK: 'Asia/Colombo', TH: 'Asia/Bangkok', VN: 'Asia/Ho_Chi_Minh', MY: 'Asia/Kuala_Lumpur', SG: 'Asia/Singapore',
  ID: 'Asia/Jakarta', PH: 'Asia/Manila', CN: 'Asia/Shanghai', HK: 'Asia/Hong_Kong', TW: 'Asia/Taipei', KR: 'Asia/Seoul', JP: 'Asia/Tokyo',
  AU: 'Australia/Sydney', NZ: 'Pacific/Auckland',
};

const AREA_CODE_ZONES: Record<string, string> = {};
function areaCodes(zone: string, codes: string): void {
  for (const code of codes.split(' ')) AREA_CODE_ZONES[code] = zone;
}
// United States
areaCodes('America/Los_Angeles', '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951 206 253 360 425 509 564 458 503 541 971 702 725 775');
areaCodes('America/Phoenix', '480 520 602 623 928');
areaCodes('America/Denver', '303 719 720 970 983 385 435 801 505 575 406 307 208 986 915');
areaCodes('America/Chicago', '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872 218 320 507 612 651 763 952 262 274 414 534 608 715 920 314 417 557 573 636 660 816 975 225 318 337 504 985 405 539 572 580 918 316 620 785 913 319 515 563 641 712 479 501 870 205 251 256 334 659 938 228 601 662 769 308 402 531 615 629 731 901 931 605 701');
areaCodes('America/Anchorage', '907');
areaCodes('Pacific/Honolulu', '808');
// Canada
areaCodes('America/Vancouver', '236 250 257 604 672 778');
areaCodes('America/Edmonton', '368 403 587 780 825');
areaCodes('America/Regina', '306 474 639');
areaCodes('America/Winnipeg', '204 431 584');
areaCodes('America/Halifax', '782 902');
areaCodes('America/St_Johns', '709');

/** The inferred zone for an E.164 number and its country (ISO 3166 alpha-2), or undefined. */
export function timeZoneForNumber(e164: string, country: string | undefined): string | undefined {
  if (e164.startsWith('+1')) {
    const zone = AREA_CODE_ZONES[e164.slice(2, 5)];
    if (zone) return zone;
  }
  return country ? COUNTRY_ZONES[country] : undefined;
}

/** A tenant's likely country from its time zone (for parsing national-format numbers). */
export function countryForTimeZone(timeZone: string): string | undefined {
  const direct = Object.entries(COUNTRY_ZONES).find(([, zone]) => zone === timeZone)?.[0];
  if (direct) return direct;
  const northAmerica = Object.entries(AREA_CODE_ZONES).find(([, zone]) => zone === timeZone);
  if (!northAmerica) return undefined;
  return ['America/Vancouver', 'America/Edmonton', 'America/Regina', 'America/Winnipeg', 'America/Halifax', 'America/St_Johns'].includes(timeZone) ? 'CA' : 'US';
}
