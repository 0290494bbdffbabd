import { z } from "zod";

// Runs in the browser before the app's own code (Next.js's
// instrumentation-client convention). zod 4 probes for eval with
// `new Function("")` on its first object parse; under the strict CSP
// (proxy.ts) that probe is refused and reported as a violation even though
// zod catches it. jitless skips the probe; the forms' schemas are small.
z.config({ jitless: true });
