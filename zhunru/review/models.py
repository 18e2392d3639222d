"""Joint review, consultation, return for revision, decision (R-PROC-2); pre-review of drafts (R-SCOPE-2)."""
