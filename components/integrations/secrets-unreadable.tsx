/** The list's and the form's word for a connection whose stored secrets cannot be decrypted. */
export function SecretsUnreadable({ detail = false }: { detail?: boolean }) {
  if (!detail) {
    return (
      <p data-testid="secrets-unreadable" className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
        Secrets unreadable — re-enter them
      </p>
    );
  }
  return (
    <div role="alert" data-testid="secrets-unreadable" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
      <p className="font-medium">Secrets unreadable — re-enter them</p>
      <p className="mt-1">
        The stored secrets of this connection cannot be decrypted: they were changed outside Switchboard, or sealed with a key this server
        does not have. Type every secret again and save (optional ones left empty are removed), or disconnect or remove the connection.
      </p>
    </div>
  );
}
