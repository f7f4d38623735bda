package repslysandbox

import "net/http"

// Form is a submitted form as export/forms returns it. Items is the ordered
// list of answers; Field holds the question verbatim.
type Form struct {
	FormID             int64      `json:"FormID"`
	FormName           string     `json:"FormName"`
	ClientCode         string     `json:"ClientCode"`
	ClientName         string     `json:"ClientName"`
	DateAndTime        Date       `json:"DateAndTime"`
	RepresentativeCode string     `json:"RepresentativeCode"`
	RepresentativeName string     `json:"RepresentativeName"`
	StreetAddress      string     `json:"StreetAddress"`
	ZIP                string     `json:"ZIP"`
	ZIPExt             string     `json:"ZIPExt"`
	City               string     `json:"City"`
	State              string     `json:"State"`
	Country            string     `json:"Country"`
	Email              string     `json:"Email"`
	Phone              string     `json:"Phone"`
	Mobile             string     `json:"Mobile"`
	Territory          string     `json:"Territory"`
	Longitude          float64    `json:"Longitude"`
	Latitude           float64    `json:"Latitude"`
	SignatureURL       string     `json:"SignatureURL"`
	VisitStart         Date       `json:"VisitStart"`
	VisitEnd           Date       `json:"VisitEnd"`
	Items              []FormItem `json:"Items"`
	VisitID            int64      `json:"VisitID"`
}

// FormItem is one answer of a form.
type FormItem struct {
	Field string `json:"Field"`
	Value string `json:"Value"`
}

// Photo is a photo's metadata as export/photos returns it (fields from
// third-party code). PhotoURL points at a placeholder host; the sandbox
// stores no image bytes.
type Photo struct {
	PhotoID            int64  `json:"PhotoID"`
	ClientCode         string `json:"ClientCode"`
	ClientName         string `json:"ClientName"`
	Note               string `json:"Note"`
	DateAndTime        Date   `json:"DateAndTime"`
	PhotoURL           string `json:"PhotoURL"`
	RepresentativeCode string `json:"RepresentativeCode"`
	RepresentativeName string `json:"RepresentativeName"`
	VisitID            int64  `json:"VisitID"`
	Tag                string `json:"Tag"`
}

// DailyWorkingTime is one rep's workday as export/dailyworkingtime returns
// it (the array key is singular). Mileage is in meters; Length, TimeAtClient,
// TimeAtTravel and MinMaxVisitsTime are in minutes.
type DailyWorkingTime struct {
	DailyWorkingTimeID int64   `json:"DailyWorkingTimeID"`
	Date               Date    `json:"Date"`
	DateAndTimeStart   Date    `json:"DateAndTimeStart"`
	DateAndTimeEnd     Date    `json:"DateAndTimeEnd"`
	Length             int     `json:"Length"`
	MileageStart       int     `json:"MileageStart"`
	MileageEnd         int     `json:"MileageEnd"`
	MileageTotal       int     `json:"MileageTotal"`
	LatitudeStart      float64 `json:"LatitudeStart"`
	LongitudeStart     float64 `json:"LongitudeStart"`
	LatitudeEnd        float64 `json:"LatitudeEnd"`
	LongitudeEnd       float64 `json:"LongitudeEnd"`
	RepresentativeCode string  `json:"RepresentativeCode"`
	RepresentativeName string  `json:"RepresentativeName"`
	Note               string  `json:"Note"`
	Tag                string  `json:"Tag"`
	NoOfVisits         int     `json:"NoOfVisits"`
	MinOfVisits        Date    `json:"MinOfVisits"`
	MaxOfVisits        Date    `json:"MaxOfVisits"`
	MinMaxVisitsTime   int     `json:"MinMaxVisitsTime"`
	TimeAtClient       int     `json:"TimeAtClient"`
	TimeAtTravel       int     `json:"TimeAtTravel"`
}

func (s *Server) handleExportForms(w http.ResponseWriter, r *http.Request, p []string) {
	serveIDPage(s, w, p[0], "Forms", s.st.forms)
}

func (s *Server) handleExportPhotos(w http.ResponseWriter, r *http.Request, p []string) {
	serveIDPage(s, w, p[0], "Photos", s.st.photos)
}

func (s *Server) handleExportDWT(w http.ResponseWriter, r *http.Request, p []string) {
	serveIDPage(s, w, p[0], "DailyWorkingTime", s.st.dwt)
}
