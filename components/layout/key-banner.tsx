/** Shown while the encryption key is the one generated into the data directory. */
export function KeyBanner(props: { keyFile: string }) {
  return (
    <div role="status" className="border-b border-amber-300 bg-amber-50 px-6 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
      <strong className="font-semibold">Encryption key generated automatically.</strong> Secrets are encrypted with a key
      stored next to the embedded database, in <code>{props.keyFile}</code>; anyone who can read that file can read them. For production,
      set <code>SWITCHBOARD_ENCRYPTION_KEYS</code> to a dedicated key (see the README, “Configuration”).
    </div>
  );
}
