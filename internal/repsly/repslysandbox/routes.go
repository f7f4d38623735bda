package repslysandbox

import (
	"net/http"
	"net/url"
	"strings"
)

// routeHandler serves one endpoint; p holds the path parameters in order.
type routeHandler func(w http.ResponseWriter, r *http.Request, p []string)

// route is one API operation. cursor is the index of the paging cursor in
// the path parameters (-1 when there is none); bad-cursor faults use it.
type route struct {
	method string
	segs   []string // lower-cased literals; "" marks a parameter
	name   string   // counter key, the path template without parameters
	tmpl   string   // the path template, e.g. "export/clients/{lastTimestamp}"
	cursor int
	h      routeHandler
}

// buildRoutes lists every endpoint the sandbox serves, relative to /v3/.
func (s *Server) buildRoutes() []route {
	get := http.MethodGet
	post := http.MethodPost
	r := []route{
		mk(get, "export/internal/client/{clientCode}", -1, s.handleExportClient),
		mk(get, "export/clients/{lastTimestamp}", 0, s.handleExportClients),
		mk(get, "export/clientnotes/{lastClientNoteID}", 0, s.handleExportNotes),
		mk(get, "export/visits/{lastTimestamp}", 0, s.handleExportVisits),
		mk(get, "export/retailaudits/{lastRetailAuditID}", 0, s.handleExportAudits),
		mk(get, "export/purchaseorders/{lastDocumentID}", 0, s.handleExportOrders),
		mk(get, "export/forms/{lastFormID}", 0, s.handleExportForms),
		mk(get, "export/formsWithMatrix/{lastFormID}", 0, s.handleExportSubmissions),
		mk(get, "export/photos/{lastPhotoID}", 0, s.handleExportPhotos),
		mk(get, "export/dailyworkingtime/{lastDailyWorkingTimeID}", 0, s.handleExportDWT),
		mk(get, "export/visitschedules/{beginDateTime}/{endDateTime}", -1, s.handleExportVisitSchedules),
		mk(get, "export/visitrealizations", -1, s.handleExportRealizations),
		mk(get, "export/representatives", -1, s.handleExportRepresentatives),
		mk(get, "export/pricelists", -1, s.handleExportPricelists),
		mk(get, "export/pricelistsItems/{pricelistID}", -1, s.handleExportPricelistItems),
		mk(get, "export/products/{lastProductID}", 0, s.handleExportProducts),
		mk(get, "export/documentTypes", -1, s.handleExportDocumentTypes),
		mk(get, "export/importStatus/{importJobID}", -1, s.handleImportStatus),
		mk(get, "export/users/{lastTimeStamp}", 0, s.handleExportUsers),
		mk(get, "export/schedules/{from}/{to}", -1, s.handleExportSchedules),

		mk(post, "import/client", -1, importRoute(s, "Client", "Clients", false, s.applyClientLocked)),
		mk(post, "import/clientList", -1, importRoute(s, "Client", "Clients", true, s.applyClientLocked)),
		mk(post, "import/account", -1, importRoute(s, "Account", "Accounts", false, s.applyAccountLocked)),
		mk(post, "import/accountList", -1, importRoute(s, "Account", "Accounts", true, s.applyAccountLocked)),
		mk(post, "import/product", -1, importRoute(s, "Product", "Products", false, s.applyProductLocked)),
		mk(post, "import/productList", -1, importRoute(s, "Product", "Products", true, s.applyProductLocked)),
		mk(post, "import/package", -1, importRoute(s, "Package", "Packages", false, s.applyPackageLocked)),
		mk(post, "import/packageList", -1, importRoute(s, "Package", "Packages", true, s.applyPackageLocked)),
		mk(post, "import/pricelist", -1, importRoute(s, "Pricelist", "PricelistItems", false, s.applyPricelistItemLocked)),
		mk(post, "import/pricelistItemList", -1, importRoute(s, "Pricelist", "PricelistItems", true, s.applyPricelistItemLocked)),
		mk(post, "import/productListEntity", -1, importRoute(s, "ProductList", "ProductLists", false, s.applyProductListLocked)),
		mk(post, "import/schedule", -1, s.handleImportSchedule),
		mk(post, "import/user", -1, s.handleImportUser(false)),
		// Guess: the user-list path was not captured; import/userList is assumed.
		mk(post, "import/userList", -1, s.handleImportUser(true)),
		mk(post, "import/documentStatus", -1, s.handleDocumentStatus),
		mk(post, "import/sales-document-status", -1, s.handleDocumentStatus),
	}
	return r
}

// mk builds a route from a path template.
func mk(method, tmpl string, cursor int, h routeHandler) route {
	parts := strings.Split(tmpl, "/")
	segs := make([]string, len(parts))
	var name []string
	for i, p := range parts {
		if strings.HasPrefix(p, "{") {
			continue
		}
		segs[i] = strings.ToLower(p)
		name = append(name, p)
	}
	return route{method: method, segs: segs, name: strings.Join(name, "/"), tmpl: tmpl, cursor: cursor, h: h}
}

// match finds the route for a path relative to /v3/. Literal segments match
// case-insensitively, as WCF UriTemplates do, and a trailing slash is
// tolerated. methodOK reports false when the path exists for another method.
func (s *Server) match(method, rest string) (rt *route, params []string, methodOK bool) {
	rest = strings.TrimSuffix(rest, "/")
	parts := strings.Split(rest, "/")
	methodOK = true
	for i := range s.routes {
		cand := &s.routes[i]
		if len(cand.segs) != len(parts) {
			continue
		}
		var ps []string
		ok := true
		for j, seg := range cand.segs {
			if seg == "" {
				v, err := url.PathUnescape(parts[j])
				if err != nil || v == "" {
					ok = false
					break
				}
				ps = append(ps, v)
				continue
			}
			if !strings.EqualFold(seg, parts[j]) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if cand.method != method && !(cand.method == http.MethodGet && method == http.MethodHead) {
			methodOK = false
			continue
		}
		return cand, ps, true
	}
	return nil, nil, methodOK
}
