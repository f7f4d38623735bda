package mapping

import (
	"encoding/json"
	"fmt"
	"maps"
	"testing"
)

func BenchmarkApplyDefaultMapping(b *testing.B) {
	m, err := Compile(clientToContact(), Options{Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	in := decodeB(b, sampleClient)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Apply(b.Context(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyBackfill runs the mappings a backfill runs per record: the
// client to its contact, then that contact back to a client with the client
// as the current record (how the syncer hashes the result), for the syncer's
// default mappings and for the two-way template's.
func BenchmarkApplyBackfill(b *testing.B) {
	for _, bc := range []struct {
		name           string
		toGHL, toRepsy Spec
	}{
		{"default", benchDefaultToGHL(), benchDefaultToRepsly()},
		{"template", benchTemplateToGHL(), benchTemplateToRepsly()},
	} {
		toGHL, err := Compile(bc.toGHL, Options{Roots: []string{"client"}, Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		toRepsly, err := Compile(bc.toRepsy, Options{Roots: []string{"contact"}, Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		client := decodeB(b, benchClient)
		in := map[string]any{"client": client}
		contact, err := toGHL.ApplyTo(b.Context(), in, nil)
		if err != nil {
			b.Fatal(err)
		}
		contact["id"] = "c-1"
		back := map[string]any{"contact": contact}
		b.Run(bc.name+"/toGHL", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := toGHL.ApplyTo(b.Context(), in, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/toGHL-newphone", func(b *testing.B) {
			// A backfill sees each number once: the phone cache misses.
			phones := make([]string, 1<<17)
			for i := range phones {
				phones[i] = fmt.Sprintf("(%d) 555-%04d", 201+i/10000, i%10000)
			}
			fresh := maps.Clone(client)
			in := map[string]any{"client": fresh}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				fresh["Phone"] = phones[i%len(phones)]
				i++
				if _, err := toGHL.ApplyTo(b.Context(), in, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/toGHL-current", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := toGHL.ApplyTo(b.Context(), in, contact); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/toRepsly", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := toRepsly.ApplyTo(b.Context(), back, client); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func decodeB(b *testing.B, s string) map[string]any {
	b.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		b.Fatal(err)
	}
	return m
}

// benchClient is a typical Repsly client as the backfill reads it.
const benchClient = `{"ClientID":101,"TimeStamp":638412,"Code":"C-0001","Name":"Main St Market ","Active":true,
  "Tag":"Grocery, tier1","Territory":"East>Boston","RepresentativeCode":"R07","RepresentativeName":"Ana Li",
  "StreetAddress":"12 Main St","ZIP":"02108","City":"Boston","State":"MA","Country":"USA",
  "Email":"Store@Example.com","Phone":"(617) 555-0143","Mobile":"617-555-0199","Website":"https://mainst.example",
  "ContactName":"Bo Van Chan","CustomFields":[{"Field":"Chain","Value":"Indie"}]}`
