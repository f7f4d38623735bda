package repsly

import "context"

// DailyWorkingTime is one rep's workday. Length, MinMaxVisitsTime,
// TimeAtClient and TimeAtTravel are minutes; mileages are meters.
type DailyWorkingTime struct {
	DailyWorkingTimeID int64   `json:"DailyWorkingTimeID"`
	Date               Time    `json:"Date"`
	DateAndTimeStart   Time    `json:"DateAndTimeStart"`
	DateAndTimeEnd     Time    `json:"DateAndTimeEnd"`
	Length             float64 `json:"Length"`
	MileageStart       float64 `json:"MileageStart"`
	MileageEnd         float64 `json:"MileageEnd"`
	MileageTotal       float64 `json:"MileageTotal"`
	LatitudeStart      float64 `json:"LatitudeStart"`
	LongitudeStart     float64 `json:"LongitudeStart"`
	LatitudeEnd        float64 `json:"LatitudeEnd"`
	LongitudeEnd       float64 `json:"LongitudeEnd"`
	RepresentativeCode string  `json:"RepresentativeCode"`
	RepresentativeName string  `json:"RepresentativeName"`
	Note               string  `json:"Note"`
	Tag                string  `json:"Tag"`
	NoOfVisits         int     `json:"NoOfVisits"`
	MinOfVisits        Time    `json:"MinOfVisits"`
	MaxOfVisits        Time    `json:"MaxOfVisits"`
	MinMaxVisitsTime   float64 `json:"MinMaxVisitsTime"`
	TimeAtClient       float64 `json:"TimeAtClient"`
	TimeAtTravel       float64 `json:"TimeAtTravel"`
}

// ExportDailyWorkingTime returns the workdays after an ID cursor.
func (c *Client) ExportDailyWorkingTime(ctx context.Context, cursor Cursor) (Page[DailyWorkingTime], error) {
	return exportPage[DailyWorkingTime](ctx, c, "export_daily_working_time", cursor)
}
