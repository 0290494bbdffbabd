// Runs once when the server starts: open the database (applying pending
// migrations) and load the key ring, so configuration errors stop the server
// at boot with a clear message instead of surfacing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("@/lib/boot");
  await bootServer();
}
