import Link from "next/link";

export default function ConnectionNotFound() {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
      <h1 className="text-lg font-semibold">Connection not found</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">It may have been removed, or the link is wrong.</p>
      <Link href="/admin/settings/integrations" className="mt-4 inline-block text-indigo-600 dark:text-indigo-400 underline">
        Back to integrations
      </Link>
    </div>
  );
}
