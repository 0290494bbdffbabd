"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "./button";

/** Copies `text` to the clipboard and says so. */
export function CopyButton({ text, label = "Copy", size = "sm" }: { text: string; label?: string; size?: "sm" | "md" }) {
  const [copied, setCopied] = useState(false);
  async function onCopy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success("Copied to the clipboard.");
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("The browser refused the clipboard. Select the text and copy it by hand.");
    }
  }
  return (
    <Button variant="secondary" size={size} onClick={onCopy} aria-label={label}>
      {copied ? "Copied" : label}
    </Button>
  );
}
