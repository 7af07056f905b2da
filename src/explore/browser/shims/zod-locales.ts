/** zod's z.locales for the explorer's bundle: none (see scripts/bundle-explorer.mjs); English is still zod's default. */
export {};
