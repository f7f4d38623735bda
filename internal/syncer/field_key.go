package syncer

// fieldKeys maps each mapping target to its field-time key on each side,
// read-only once made (records are synced in parallel).
type fieldKeys struct {
	ghl, repsly map[string]string
}

func newFieldKeys(spec Spec) fieldKeys {
	fk := fieldKeys{ghl: map[string]string{}, repsly: map[string]string{}}
	if spec.ToGHL != nil {
		for _, t := range spec.ToGHL.Targets() {
			fk.ghl[t] = "ghl:" + t
		}
		if spec.CodeField != "" {
			fk.ghl["customFields."+spec.CodeField] = "ghl:customFields." + spec.CodeField
		}
	}
	if spec.ToRepsly != nil {
		for _, t := range spec.ToRepsly.Targets() {
			fk.repsly[t] = "repsly:" + t
		}
	}
	return fk
}

// ghlKey is the field-time key of HighLevel field k ("ghl:" + k).
func (e *Engine) ghlKey(k string) string {
	if key, ok := e.fieldKeys.ghl[k]; ok {
		return key
	}
	return "ghl:" + k
}

// repslyKey is the field-time key of Repsly field k ("repsly:" + k).
func (e *Engine) repslyKey(k string) string {
	if key, ok := e.fieldKeys.repsly[k]; ok {
		return key
	}
	return "repsly:" + k
}
