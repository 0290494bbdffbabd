"use client";

import { useEffect, useRef, type ReactNode } from "react";

/** The native <dialog>: focus trapping, Escape to close and a backdrop for free. */
export function Dialog(props: { open: boolean; onClose: () => void; title: string; children: ReactNode; labelledBy?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (props.open && !el.open) el.showModal();
    if (!props.open && el.open) el.close();
  }, [props.open]);
  const titleId = props.labelledBy ?? "dialog-title";
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={props.onClose}
      className="m-auto w-full max-w-md rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {props.open && (
        <div className="p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            {props.title}
          </h2>
          <div className="mt-3">{props.children}</div>
        </div>
      )}
    </dialog>
  );
}
