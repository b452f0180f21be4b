/**
 * Every `patched()` id the workflow code uses. The replay suite reads this list to require, for each id,
 * a recorded history from before the patch and one from after it. Workflow-safe (no imports).
 */
export const WORKFLOW_PATCHES = {
  /**
   * Continue-as-new in `dagWorkflow`. Runs started before it never paused between nodes; replaying one
   * that passed the history limit must not start pausing now, so the check is gated on this marker.
   */
  continueAsNew: 'trellis-dag-continue-as-new',
  /**
   * Evaluating `set` nodes in the `evaluateSet` local activity. Runs started before it rendered them in the
   * workflow, and their replays must keep doing so (no marker, no local activity).
   */
  setInLocalActivity: 'trellis-set-in-local-activity',
} as const;
