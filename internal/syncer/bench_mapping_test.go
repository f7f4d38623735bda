package syncer_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// BenchmarkMappingPerRecord runs the mappings a backfill runs per record:
// the client to its contact, then that contact back to a client with the
// client as the current record (how the engine hashes what it wrote), for
// the default mappings and for the two-way template's.
func BenchmarkMappingPerRecord(b *testing.B) {
	def, err := syncer.DefaultSpec("bench", time.Now)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		spec syncer.Spec
	}{{"default", def}, {"template", templateSpec(b, "bench")}} {
		var client map[string]any
		if err := json.Unmarshal([]byte(benchClient), &client); err != nil {
			b.Fatal(err)
		}
		in := map[string]any{bc.spec.RepslyRoot: client}
		contact, err := bc.spec.ToGHL.ApplyTo(b.Context(), in, nil)
		if err != nil {
			b.Fatal(err)
		}
		contact["id"] = "c-1"
		back := map[string]any{bc.spec.GHLRoot: contact}
		b.Run(bc.name+"/toGHL", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.spec.ToGHL.ApplyTo(b.Context(), in, nil); err != nil {
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
			in := map[string]any{bc.spec.RepslyRoot: fresh}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				fresh["Phone"] = phones[i%len(phones)]
				i++
				if _, err := bc.spec.ToGHL.ApplyTo(b.Context(), in, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/toGHL-current", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.spec.ToGHL.ApplyTo(b.Context(), in, contact); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/toRepsly", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.spec.ToRepsly.ApplyTo(b.Context(), back, client); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchClient is a typical Repsly client as the backfill reads it.
const benchClient = `{"ClientID":101,"TimeStamp":638412,"Code":"C-0001","Name":"Main St Market ","Active":true,
  "Tag":"Grocery, tier1","Territory":"East>Boston","RepresentativeCode":"R07","RepresentativeName":"Ana Li",
  "StreetAddress":"12 Main St","ZIP":"02108","City":"Boston","State":"MA","Country":"USA",
  "Email":"Store@Example.com","Phone":"(617) 555-0143","Mobile":"617-555-0199","Website":"https://mainst.example",
  "ContactName":"Bo Van Chan","CustomFields":[{"Field":"Chain","Value":"Indie"}]}`
