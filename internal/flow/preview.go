package flow

import (
	"context"
	"slices"
)

// Preview shows what the flow makes of a sample without calling any app.
//
// For an automation, sample is the triggering record, or an object whose
// keys are all record names of the flow (the trigger record and what
// lookups would find and actions return, by step id); the result is the
// run's *Result. For a sync flow, sample is one side's record, or an object
// with that side's name as its only key; direction picks the mapping
// (default: the side the sample is named after, else left to right),
// current is the other side's record as it is now, and the result is the
// *SyncOutput.
func (p *Program) Preview(ctx context.Context, sample, current map[string]any, direction string) (any, error) {
	if p.sync != nil {
		left, right := p.sync.leftRoot, p.sync.rightRoot
		rec := sample
		if len(sample) == 1 {
			for k, v := range sample {
				m, ok := v.(map[string]any)
				switch {
				case ok && k == left && direction != RightToLeft:
					rec, direction = m, LeftToRight
				case ok && k == right && direction != LeftToRight:
					rec, direction = m, RightToLeft
				}
			}
		}
		if direction == "" {
			direction = LeftToRight
		}
		return p.MapSync(ctx, direction, rec, current)
	}
	input := sample
	roots := p.recordNames()
	for k := range sample {
		if !slices.Contains(roots, k) {
			input = map[string]any{p.root: sample}
			break
		}
	}
	return p.Run(ctx, input, p.exampleExecutor(input))
}

// recordNames returns the names an automation's input may hold: the
// trigger record and every step id.
func (p *Program) recordNames() []string {
	out := []string{p.root}
	for _, s := range p.flow.Steps {
		if s.ID != "" {
			out = append(out, s.ID)
		}
	}
	return out
}
