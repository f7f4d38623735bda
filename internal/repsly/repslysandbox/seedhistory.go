package repslysandbox

import (
	"strconv"
	"time"
)

// history creates days of field activity in time order, so IDs and the
// change counter grow with time as they do in a real account. Schedules are
// created first; their occurrences in the last two weeks become scheduled
// visits and realizations.
func (sd *seeder) history(days int) {
	s, r := sd.s, sd.r
	all := s.st.clients.rows
	if len(all) == 0 {
		return
	}
	sd.schedules(all)
	byWeekday := map[time.Weekday][]*Schedule{}
	for _, sc := range s.st.schedules {
		byWeekday[sc.start.Weekday()] = append(byWeekday[sc.start.Weekday()], sc)
	}
	perDay := max(1, len(all)/days)
	for d := days; d >= 1; d-- {
		day := sd.today.AddDate(0, 0, -d)
		if day.Weekday() == time.Sunday {
			continue
		}
		recent := d <= 14
		repVisits := map[*User][]*Visit{}
		for range perDay {
			c := all[r.IntN(len(all))]
			rep, ok := s.st.user(c.RepresentativeCode)
			if !ok || !c.Active {
				continue
			}
			start := day.Add(time.Duration(7*60+r.IntN(10*60)) * time.Minute)
			end := start.Add(time.Duration(8+r.IntN(50)) * time.Minute)
			v := s.addVisitLocked(rep, c, start, end, false, c.geo)
			repVisits[rep] = append(repVisits[rep], v)
			sd.activity(rep, c, v, start, end)
			if recent {
				s.addRealizationLocked(realizationSpec{status: RealizationUnplanned, rep: rep, client: c, start: start, end: end, modified: end})
			}
		}
		if recent {
			for _, sc := range byWeekday[day.Weekday()] {
				sc.occurrences(day, day, func(at time.Time) { sd.realize(sc, at, repVisits) })
			}
		}
		sd.workday(day, repVisits)
	}
	// Some clients were edited after they were created: they carry a later
	// TimeStamp than newer clients, as in a live account.
	for i := 0; i < len(all); i += 20 {
		c := all[(i*7919)%len(all)]
		c.Note = "Updated " + day(sd.today.AddDate(0, 0, -1))
		s.putClientLocked(c)
	}
	// One visit is still going on.
	c := all[0]
	if rep, ok := s.st.user(c.RepresentativeCode); ok && c.Active {
		start := sd.today.Add(-2 * time.Hour)
		s.addVisitLocked(rep, c, start, time.Time{}, false, c.geo)
	}
}

func day(t time.Time) string { return t.Format(dayLayout) }

// activity adds what a rep did during a visit: notes, forms, photos,
// orders and audits, each for a share of visits.
func (sd *seeder) activity(rep *User, c *Client, v *Visit, start, end time.Time) {
	s, r := sd.s, sd.r
	notes := []string{"Endcap missing", "Talked to the manager about the summer promo", "Shelf restocked", "Competitor price drop on chips", "Asked for a callback next week", "Delivery was late again", "New store manager started"}
	if r.IntN(10) < 6 {
		s.addNoteLocked(rep, c, start.Add(5*time.Minute), pick(r, notes), v.VisitID, c.geo)
	}
	if r.IntN(10) == 0 {
		s.addNoteLocked(rep, c, end.Add(2*time.Hour), pick(r, notes), 0, c.geo)
	}
	if r.IntN(5) == 0 {
		s.st.lastFormID++
		f := &Form{FormID: s.st.lastFormID, FormName: pick(r, []string{"Store Check", "Competitor Survey"}),
			ClientCode: c.Code, ClientName: c.Name, DateAndTime: wcfDate(start.Add(10 * time.Minute)),
			RepresentativeCode: rep.Code, RepresentativeName: rep.Name, StreetAddress: c.StreetAddress, ZIP: c.ZIP,
			ZIPExt: c.ZIPExt, City: c.City, State: c.State, Country: c.Country, Email: c.Email, Phone: c.Phone,
			Mobile: c.Mobile, Territory: c.Territory, Latitude: c.geo[0], Longitude: c.geo[1],
			VisitStart: wcfDate(start), VisitEnd: wcfDate(end), VisitID: v.VisitID,
			Items: []FormItem{{Field: "Is the endcap set up?", Value: pick(r, []string{"Yes", "No"})},
				{Field: "Facings of our brand", Value: strconv.Itoa(r.IntN(12))},
				{Field: "Comments", Value: pick(r, []string{"", "Looks good", "Needs POS material"})}}}
		if r.IntN(3) == 0 {
			f.SignatureURL = "https://files.sandbox.example.com/signatures/" + strconv.FormatInt(f.FormID, 10) + ".png"
		}
		s.st.forms.add(f)
	}
	if r.IntN(5) == 0 {
		s.st.lastPhotoID++
		s.st.photos.add(&Photo{PhotoID: s.st.lastPhotoID, ClientCode: c.Code, ClientName: c.Name,
			Note: pick(r, []string{"", "Shelf before", "Shelf after", "Display"}), DateAndTime: wcfDate(start.Add(15 * time.Minute)),
			PhotoURL:           "https://files.sandbox.example.com/photos/" + strconv.FormatInt(s.st.lastPhotoID, 10) + ".jpg",
			RepresentativeCode: rep.Code, RepresentativeName: rep.Name, VisitID: v.VisitID, Tag: pick(r, []string{"", "shelf", "display"})})
	}
	if r.IntN(8) == 0 {
		sd.order(rep, c, v, end)
	}
	if r.IntN(10) == 0 {
		sd.audit(rep, c, v, start)
	}
}

func (sd *seeder) order(rep *User, c *Client, v *Visit, at time.Time) {
	s, r := sd.s, sd.r
	s.st.lastOrderID++
	dt := s.st.docTypes[0]
	if r.IntN(10) == 0 {
		dt = s.st.docTypes[1]
	}
	o := &PurchaseOrder{PurchaseOrderID: s.st.lastOrderID, TransactionType: "PurchaseOrder", DocumentTypeID: dt.DocumentTypeID,
		DocumentTypeName: dt.DocumentTypeName, DateAndTime: wcfDate(at), DocumentNo: "SO-" + pad(int(s.st.lastOrderID), 7),
		ClientCode: c.Code, ClientName: c.Name, DocumentDate: wcfDate(at.Truncate(24 * time.Hour)),
		DueDate: wcfDate(at.Truncate(24*time.Hour).AddDate(0, 0, 7)), RepresentativeCode: rep.Code, RepresentativeName: rep.Name,
		Taxable: c.Country != "Croatia", VisitID: v.VisitID, StreetAddress: c.StreetAddress, ZIP: c.ZIP, ZIPExt: c.ZIPExt,
		City: c.City, State: c.State, Country: c.Country, CustomFields: []OrderCustomField{}}
	if r.IntN(3) > 0 {
		st := dt.Statuses[r.IntN(len(dt.Statuses))]
		id := st.DocumentStatusID
		o.DocumentStatusID, o.DocumentStatus = &id, st.DocumentStatusName
	}
	prods := s.st.products.rows
	for line := 1; line <= 1+r.IntN(5); line++ {
		p := prods[r.IntN(len(prods))]
		qty := float64(1 + r.IntN(24))
		amount := qty * p.UnitPrice
		tax := 0.0
		if o.Taxable {
			tax = amount * 0.08
		}
		o.Items = append(o.Items, OrderItem{LineNo: line, ProductCode: p.Code, ProductName: p.Name, UnitAmount: 1,
			UnitPrice: p.UnitPrice, PackageTypeCode: "EA", PackageTypeName: "Each", PackageTypeConversion: 1,
			Quantity: qty, Amount: amount, TaxAmount: tax, TaxPercent: 8, TotalAmount: amount + tax})
	}
	s.st.orders.add(o)
}

func (sd *seeder) audit(rep *User, c *Client, v *Visit, at time.Time) {
	s, r := sd.s, sd.r
	s.st.lastAuditID++
	a := &RetailAudit{RetailAuditID: s.st.lastAuditID, RetailAuditName: "Shelf audit", ClientCode: c.Code, ClientName: c.Name,
		DateAndTime: wcfDate(at.Add(20 * time.Minute)), RepresentativeCode: rep.Code, RepresentativeName: rep.Name,
		CustomFields: []CustomField{}, VisitID: v.VisitID, Cancelled: r.IntN(30) == 0}
	prods := s.st.products.rows
	for k := 0; k < 3; k++ {
		p := prods[r.IntN(len(prods))]
		present := r.IntN(5) > 0
		a.Items = append(a.Items, AuditItem{ProductGroupCode: p.ProductGroupCode, ProductGroupName: p.ProductGroupName,
			ProductCode: p.Code, ProductName: p.Name, Present: present, Price: p.UnitPrice * 1.3,
			Promotion: r.IntN(6) == 0, ShelfShare: float64(r.IntN(40)), ShelfSharePercent: float64(r.IntN(40)),
			SoldOut: !present, Stock: r.IntN(50)})
	}
	s.st.audits.add(a)
}

// workday adds one DailyWorkingTime row per rep who visited someone.
func (sd *seeder) workday(day time.Time, repVisits map[*User][]*Visit) {
	s, r := sd.s, sd.r
	for _, rep := range sd.reps {
		vs := repVisits[rep]
		if len(vs) == 0 {
			continue
		}
		lo, hi := vs[0].DateAndTimeStart.Time, vs[0].DateAndTimeEnd.Time
		atClient := 0
		for _, v := range vs {
			if v.DateAndTimeStart.Before(lo) {
				lo = v.DateAndTimeStart.Time
			}
			if v.DateAndTimeEnd.After(hi) {
				hi = v.DateAndTimeEnd.Time
			}
			atClient += int(v.DateAndTimeEnd.Sub(v.DateAndTimeStart.Time).Minutes())
		}
		start, end := lo.Add(-30*time.Minute), hi.Add(45*time.Minute)
		length := int(end.Sub(start).Minutes())
		mStart := 10000 + r.IntN(90000)
		dist := 5000 + r.IntN(80000)
		s.st.lastDWTID++
		s.st.dwt.add(&DailyWorkingTime{DailyWorkingTimeID: s.st.lastDWTID, Date: wcfDate(day), DateAndTimeStart: wcfDate(start),
			DateAndTimeEnd: wcfDate(end), Length: length, MileageStart: mStart, MileageEnd: mStart + dist, MileageTotal: dist,
			RepresentativeCode: rep.Code, RepresentativeName: rep.Name, NoOfVisits: len(vs),
			MinOfVisits: wcfDate(lo), MaxOfVisits: wcfDate(hi), MinMaxVisitsTime: int(hi.Sub(lo).Minutes()),
			TimeAtClient: atClient, TimeAtTravel: max(0, length-atClient)})
	}
}

// schedules plans visits for a quarter of the clients: one-offs and weekly,
// fortnightly or monthly rounds starting within four weeks of today.
func (sd *seeder) schedules(all []*Client) {
	s, r := sd.s, sd.r
	for i := 0; i < len(all); i += 4 {
		c := all[r.IntN(len(all))]
		rep, ok := s.st.user(c.RepresentativeCode)
		if !ok || !c.Active {
			continue
		}
		start := sd.today.AddDate(0, 0, r.IntN(42)-28).Add(time.Duration(8+r.IntN(9)) * time.Hour)
		if start.Weekday() == time.Sunday {
			start = start.AddDate(0, 0, 1)
		}
		every := []int{0, 0, 0, 1, 1, 1, 1, 2, 2, 4}[r.IntN(10)]
		sc := &Schedule{UserID: rep.Code, RepresentativeName: rep.Name, start: start, ScheduledDuration: 15 + 15*r.IntN(4),
			RepeatEveryWeeks: every, DueDate: r.IntN(5) == 0, ProjectName: pick(r, []string{"", "Summer promo", "Core range"}),
			VisitNote: pick(r, []string{"", "Check the promo display", "Collect the order", "Bring samples"}),
			Tasks:     []ScheduleTask{}}
		if r.IntN(3) == 0 {
			sc.Tasks = append(sc.Tasks, ScheduleTask{TaskType: "Form", TaskNote: "Store Check"})
		}
		sc.ScheduledDate, sc.ScheduledTime = start.Format(dayLayout), start.Format(clockLayout)
		if every > 0 {
			sc.RepeatDays = start.Weekday().String()
			if r.IntN(3) == 0 {
				e := start.AddDate(0, 3, 0)
				sc.end = e.Truncate(24 * time.Hour)
				v := sc.end.Format(dayLayout)
				sc.RepeatEndDate = &v
			}
		}
		fillScheduleClient(sc, c)
		s.addScheduleLocked(sc)
	}
}

// realize records what became of a planned visit at `at`: mostly a
// scheduled visit, sometimes a missed one.
func (sd *seeder) realize(sc *Schedule, at time.Time, repVisits map[*User][]*Visit) {
	s, r := sd.s, sd.r
	c, ok1 := s.st.client(sc.ClientCode)
	rep, ok2 := s.st.user(sc.UserID)
	if !ok1 || !ok2 {
		return
	}
	if r.IntN(10) < 3 {
		s.addRealizationLocked(realizationSpec{status: RealizationMissing, rep: rep, client: c, schedule: sc, plan: at,
			modified: at.Truncate(24 * time.Hour).Add(24*time.Hour - time.Minute)})
		return
	}
	start := at.Add(time.Duration(r.IntN(40)-10) * time.Minute)
	end := start.Add(time.Duration(sc.ScheduledDuration) * time.Minute)
	v := s.addVisitLocked(rep, c, start, end, true, c.geo)
	repVisits[rep] = append(repVisits[rep], v)
	sd.activity(rep, c, v, start, end)
	s.addRealizationLocked(realizationSpec{status: RealizationPlanned, rep: rep, client: c, schedule: sc, plan: at,
		start: start, end: end, modified: end, completedTask: true})
}
