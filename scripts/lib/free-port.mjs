import net from "node:net";

// A free TCP port on 127.0.0.1, for a child server that must be told its port
// up front (PORT=…). Shared by tests/support, bench and scripts; plain .mjs so
// that node runs it as it is and TypeScript reads its JSDoc.

/**
 * Asks the kernel for a free port, then closes the probe: another process may
 * still take it before the caller's server binds it (a race the callers accept).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref(); // never what keeps a script alive
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = /** @type {net.AddressInfo} */ (probe.address());
      probe.close(() => resolve(address.port));
    });
  });
}
