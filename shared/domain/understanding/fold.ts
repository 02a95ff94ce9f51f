/** Removes accents and other combining marks: "Fréquence" → "Frequence". */
export const foldAccents = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');
