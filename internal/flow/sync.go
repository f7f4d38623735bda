package flow

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// syncObject is a record type the sync engine can pair.
type syncObject struct {
	app         string
	root        string
	readScopes  []string
	writeScopes []string
	// writeOp is the catalog action the engine writes this object with;
	// with a catalog, the mapping's targets are checked against its input.
	writeOp string
}

var syncObjects = map[string]syncObject{
	objectRepslyClient: {app: AppRepsly, root: "client", writeOp: "repsly.client.upsert"},
	objectGHLContact: {app: AppGHL, root: "contact", readScopes: []string{"contacts.readonly"},
		writeScopes: []string{"contacts.write"}, writeOp: "ghl.contact.upsert"},
}

// The objects the sync engine pairs.
const (
	objectRepslyClient = "repsly.client"
	objectGHLContact   = "ghl.contact"
)

func syncObjectNames() []string { return []string{objectGHLContact, objectRepslyClient} }

func (c *checker) checkSync(path string, s *SyncStep) *compiledSync {
	cs := &compiledSync{step: s}
	twoWay := s.Direction == TwoWay
	switch s.Direction {
	case OneWay, TwoWay:
	case "":
		c.errorf(path+".direction", "direction is required: one_way (left to right) or two_way")
	default:
		c.errorf(path+".direction", "direction must be one_way or two_way%s", didYouMean(s.Direction, []string{OneWay, TwoWay}))
	}
	left, lok := c.checkSide(path+".left", &s.Left, twoWay)
	right, rok := c.checkSide(path+".right", &s.Right, true)
	cs.leftRoot, cs.rightRoot = sideRoot(&s.Left, left), sideRoot(&s.Right, right)
	if lok && rok {
		if s.Left.Object == s.Right.Object || left.app == right.app {
			c.errorf(path, "a sync pairs a record of one app with a record of the other (repsly.client with ghl.contact)")
		}
		if s.Left.As != "" {
			c.checkName(path+".left.as", s.Left.As)
		}
		if s.Right.As != "" {
			c.checkName(path+".right.as", s.Right.As)
		}
		if cs.leftRoot == cs.rightRoot {
			c.errorf(path+".right.as", "both sides are called %q; give one another name with as", cs.rightRoot)
		}
	}

	if len(s.Match) == 0 {
		c.errorf(path+".match", "match is required: the keys that find an unlinked record before one is created (code, email, phone), so no duplicates are made")
	}
	keys := []string{MatchCode, MatchEmail, MatchPhone}
	for i, m := range s.Match {
		mp := path + ".match[" + strconv.Itoa(i) + "]"
		switch {
		case !slices.Contains(keys, m):
			c.errorf(mp, "unknown match key %q%s; use %s", m, didYouMean(m, keys), quoteList(keys))
		case slices.Index(s.Match, m) < i:
			c.errorf(mp, "%q is listed twice", m)
		}
	}
	if s.CodeField != "" && !identRE.MatchString(s.CodeField) {
		c.errorf(path+".code_field", "code_field is the key of a HighLevel custom field (letters, digits and _), e.g. repsly_client_code")
	}
	switch s.Conflict {
	case "", LastWriterWins, LeftWins, RightWins:
	default:
		choices := []string{LastWriterWins, LeftWins, RightWins}
		c.errorf(path+".conflict", "conflict must be %s%s", quoteList(choices), didYouMean(s.Conflict, choices))
	}
	switch s.OnDeactivate {
	case "", DeactivateTag, DeactivateDelete, DeactivateNothing:
	default:
		choices := []string{DeactivateTag, DeactivateDelete, DeactivateNothing}
		c.errorf(path+".on_deactivate", "on_deactivate must be %s%s", quoteList(choices), didYouMean(s.OnDeactivate, choices))
	}
	if s.InactiveTag != "" && strings.TrimSpace(s.InactiveTag) != s.InactiveTag {
		c.errorf(path+".inactive_tag", "inactive_tag has spaces around it")
	}

	// A mapping is compiled only when the side it reads is valid: its
	// record name depends on the side's object.
	if len(s.LeftToRight) == 0 {
		c.errorf(path+".left_to_right", "left_to_right is required: the fields of %s each field of %s is written to", cs.rightRoot, cs.leftRoot)
	} else if lok {
		cs.toRight = c.compileFields(path+".left_to_right", s.LeftToRight, []string{cs.leftRoot})
		if rok {
			c.checkWriteFields(path+".left_to_right", s.LeftToRight, right)
		}
	}
	switch {
	case twoWay && len(s.RightToLeft) == 0:
		c.errorf(path+".right_to_left", "a two-way sync needs right_to_left: how %s fields map back to %s", cs.rightRoot, cs.leftRoot)
	case !twoWay && s.RightToLeft != nil && s.Direction == OneWay:
		c.errorf(path+".right_to_left", "a one-way sync never writes the left side; remove right_to_left or set direction: two_way")
	case len(s.RightToLeft) > 0 && rok:
		cs.toLeft = c.compileFields(path+".right_to_left", s.RightToLeft, []string{cs.rightRoot})
		if lok {
			c.checkWriteFields(path+".right_to_left", s.RightToLeft, left)
		}
	}

	targets := append(s.LeftToRight.Targets(), s.RightToLeft.Targets()...)
	for field, side := range s.Prefer {
		fp := joinKey(path+".prefer", field)
		if side != SideLeft && side != SideRight {
			c.errorf(fp, "prefer takes left or right, not %q", side)
		}
		if !slices.Contains(targets, field) {
			c.keyErrorf(fp, "%q is not a target field of left_to_right or right_to_left%s", field, didYouMean(field, targets))
		}
	}
	return cs
}

// checkSide validates one side; written says whether the sync writes it.
func (c *checker) checkSide(path string, side *SyncSide, written bool) (syncObject, bool) {
	obj, ok := syncObjects[side.Object]
	switch {
	case side.Object == "":
		c.errorf(path+".object", "object is required: %s", quoteList(syncObjectNames()))
		return obj, false
	case !ok:
		msg := "the sync engine pairs repsly.client with ghl.contact; for other records use an automation flow (fieldbridge templates list)"
		if written {
			if l := actionLimit(side.Object+".create", OperationInfo{}); l != "" {
				msg = l
			}
		}
		c.errorf(path+".object", "cannot sync %q%s: %s", side.Object, didYouMean(side.Object, syncObjectNames()), msg)
		return obj, false
	}
	scopes := obj.readScopes
	if written {
		scopes = append(slices.Clone(scopes), obj.writeScopes...)
	}
	c.checkConnection(path+".connection", side.Connection, obj.app, scopes, "syncing "+side.Object)
	return obj, true
}

// checkWriteFields checks a sync mapping's targets against the input of
// the action the engine writes with, when the catalog knows it.
func (c *checker) checkWriteFields(path string, fm FieldMap, obj syncObject) {
	if c.opts.Operations == nil || obj.writeOp == "" {
		return
	}
	if info, ok := c.opts.Operations.Lookup(obj.writeOp); ok {
		c.checkInputFields(path, fm, info.Fields, obj.writeOp)
	}
}

func sideRoot(side *SyncSide, obj syncObject) string {
	if side.As != "" {
		return side.As
	}
	if obj.root != "" {
		return obj.root
	}
	return objectOf(side.Object + ".x")
}

// SyncRoots returns the names the sync's left and right records have in
// expressions.
func (p *Program) SyncRoots() (left, right string) {
	if p.sync == nil {
		return "", ""
	}
	return p.sync.leftRoot, p.sync.rightRoot
}

// SyncMapping returns the compiled mapping of a sync flow for a direction
// (LeftToRight or RightToLeft); nil when there is none.
func (p *Program) SyncMapping(direction string) *mapping.Mapping {
	if p.sync == nil {
		return nil
	}
	if direction == RightToLeft {
		return p.sync.toLeft
	}
	return p.sync.toRight
}
