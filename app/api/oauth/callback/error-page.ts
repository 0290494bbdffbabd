const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A plain page for callbacks that belong to no connection of this operator; every text is escaped. */
export function callbackErrorPage(opts: { status: number; title: string; message: string; base: string; headers: Record<string, string> }): Response {
  const back = new URL("/admin/settings/integrations", opts.base).href;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(opts.title)} · Switchboard</title></head>
<body><main><h1>${escapeHtml(opts.title)}</h1><p role="alert">${escapeHtml(opts.message)}</p><p><a href="${escapeHtml(back)}">Back to integrations</a></p></main></body></html>`;
  return new Response(html, { status: opts.status, headers: { ...opts.headers, "Content-Type": "text/html; charset=utf-8" } });
}
