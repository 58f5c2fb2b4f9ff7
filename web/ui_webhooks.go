package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/events"
)

// webhooksList is the Webhooks page: the company's subscriptions with how
// many of their deliveries are failing.
func (s *Server) webhooksList(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	hooks, err := s.Events.ListWebhooks(r.Context(), company)
	if err != nil {
		return err
	}
	failing, err := s.Events.FailingByWebhook(r.Context(), company)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	query := strings.ToLower(strings.TrimSpace(q.Get("q")))
	status := q.Get("status")
	hooks = slices.DeleteFunc(hooks, func(h events.Webhook) bool {
		if (status == "active" && !h.Active) || (status == "paused" && h.Active) {
			return true
		}
		return query != "" && !strings.Contains(strings.ToLower(h.URL+" "+h.Description+" "+strings.Join(h.Events, " ")), query)
	})
	if q.Get("format") == "csv" {
		rows := make([][]string, 0, len(hooks))
		for _, h := range hooks {
			rows = append(rows, cellTexts(webhookCells(h, failing[h.ID])))
		}
		return writeCSV(w, "webhooks.csv", []string{"url", "description", "events", "status", "failing_deliveries"}, rows)
	}
	p := principal(r)
	v := listView{
		Title: "Webhooks", SearchHint: "Search URL, description or event", ExportURL: withQuery(r, "format", "csv"),
		Help: "A webhook sends each change of " + p.Company.Name + " that matches its event patterns to a URL, signed with its secret, " +
			"and retries for a day until the receiver answers 2xx. Each webhook's delivery log shows what was sent.",
		Empty: "No webhooks yet. A webhook tells another system about changes here as they happen.",
		Columns: []column{{Key: "url", Label: "URL"}, {Key: "description", Label: "Description"}, {Key: "events", Label: "Events"},
			{Key: "status", Label: "Status"}, {Key: "failing", Label: "Failing deliveries", Numeric: true}},
		Filters: []chip{
			{Label: "All", URL: withQuery(r, "status", ""), Active: status == ""},
			{Label: "Active", URL: withQuery(r, "status", "active"), Active: status == "active"},
			{Label: "Paused", URL: withQuery(r, "status", "paused"), Active: status == "paused"},
		},
	}
	if p.Can("webhook.manage") {
		v.NewURL, v.NewLabel = "/webhooks/new", "New webhook"
	}
	for _, h := range hooks {
		v.Rows = append(v.Rows, listRow{URL: "/webhooks/" + h.ID.String(), Cells: webhookCells(h, failing[h.ID])})
	}
	v.pageLinks(r, "", len(v.Rows))
	return s.render(w, r, http.StatusOK, "webhooks", "Webhooks", v)
}

func webhookCells(h events.Webhook, failing int) []cell {
	status := cell{Text: "Active", Badge: "ok"}
	if !h.Active {
		status = cell{Text: "Paused", Badge: "muted"}
	}
	fail := cell{Text: strconv.Itoa(failing), Numeric: true}
	if failing > 0 {
		fail.Badge = "bad"
	}
	return []cell{{Text: h.URL}, {Text: h.Description}, {Text: strings.Join(h.Events, ", ")}, status, fail}
}

// webhookForm is the data of the webhook page, new or existing.
type webhookForm struct {
	Hook       events.Webhook
	EventsText string
	New        bool
	CanEdit    bool
	Errors     *formErrors
	Secret     string // signing secret, shown once after create or rotate
	Actions    []action
	History    []historyItem
	Log        deliveryLog
}

// Err is the message of a field of a failed save, or "".
func (f webhookForm) Err(field string) string {
	if f.Errors == nil {
		return ""
	}
	return f.Errors.Fields[field]
}

// deliveryLog is one page of a webhook's deliveries.
type deliveryLog struct {
	Rows              []deliveryRow
	Filters           []chip
	State             string
	NextURL, FirstURL string
}

type deliveryRow struct {
	D     events.Delivery
	URL   string
	State cell
}

func deliveryState(state string) cell {
	switch state {
	case events.StateSucceeded:
		return cell{Text: state, Badge: "ok"}
	case events.StateFailed:
		return cell{Text: state + ", retrying", Badge: "warn"}
	case events.StateDead:
		return cell{Text: state, Badge: "bad"}
	}
	return cell{Text: state, Badge: "muted"}
}

// parseEvents reads comma- or space-separated event patterns.
func parseEvents(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// webhookFailure turns a failed save into form messages; a bad pattern
// ("events[2]") is reported on the events field, naming the pattern.
func webhookFailure(err error, patterns []string) (*formErrors, error) {
	fe, ferr := formFailure(err)
	if ferr != nil {
		return nil, ferr
	}
	var msgs []string
	for k, msg := range fe.Fields {
		idx, ok := strings.CutPrefix(k, "events[")
		if !ok {
			continue
		}
		i, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
		if i >= 0 && i < len(patterns) {
			msg = "“" + patterns[i] + "” " + msg
		}
		msgs = append(msgs, msg)
		delete(fe.Fields, k)
	}
	if len(msgs) > 0 {
		slices.Sort(msgs)
		fe.Fields["events"] = strings.Join(msgs, "; ")
	}
	return fe, nil
}

func (s *Server) webhookNew(w http.ResponseWriter, r *http.Request) error {
	form := webhookForm{New: true, CanEdit: true, Hook: events.Webhook{Active: true}, EventsText: "*"}
	return s.render(w, r, http.StatusOK, "webhook", "New webhook", form)
}

func (s *Server) webhookCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	f := r.PostForm
	in := events.NewWebhook{CompanyID: company, URL: strings.TrimSpace(f.Get("url")), Description: strings.TrimSpace(f.Get("description")),
		Events: parseEvents(f.Get("events")), Active: f.Get("active") != ""}
	hook, secret, err := s.Events.CreateWebhook(r.Context(), in)
	if err != nil {
		fe, ferr := webhookFailure(err, in.Events)
		if ferr != nil {
			return ferr
		}
		form := webhookForm{New: true, CanEdit: true, Errors: fe, EventsText: f.Get("events"),
			Hook: events.Webhook{URL: in.URL, Description: in.Description, Active: in.Active}}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "webhook", "New webhook", form)
	}
	return s.webhookPage(w, r, hook, secret, "Webhook created. Copy its signing secret now: it is shown only once.")
}

func (s *Server) webhookShow(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	return s.webhookPage(w, r, hook, "", "")
}

// webhookRecord fills the webhook page: form, actions, delivery log, history.
func (s *Server) webhookRecord(r *http.Request, hook events.Webhook) (webhookForm, error) {
	p := principal(r)
	form := webhookForm{Hook: hook, EventsText: strings.Join(hook.Events, ", "), CanEdit: p.Can("webhook.manage")}
	base := "/webhooks/" + hook.ID.String()
	if form.CanEdit {
		form.Actions = []action{
			{Label: "Rotate secret", URL: base + "/rotate-secret",
				Confirm: "Give this webhook a new signing secret? Requests are signed with the new secret at once: the receiver must be updated, or it will refuse them."},
			{Label: "Delete", URL: base + "/delete", Danger: true,
				Confirm: "Delete the webhook to " + hook.URL + " with its delivery log? This cannot be undone; the change log keeps a record of it."},
		}
	}
	var err error
	if form.Log, err = s.deliveryLog(r, hook); err != nil {
		return form, err
	}
	recs, err := s.history(r, "webhook", hook.ID.String())
	if err != nil {
		return form, err
	}
	form.History = historyOf(recs)
	return form, nil
}

// deliveryLog reads one page of the webhook's deliveries, newest first,
// filtered by ?state=.
func (s *Server) deliveryLog(r *http.Request, hook events.Webhook) (deliveryLog, error) {
	q := r.URL.Query()
	log := deliveryLog{State: q.Get("state")}
	if !slices.Contains([]string{"", events.StatePending, events.StateFailed, events.StateSucceeded, events.StateDead}, log.State) {
		log.State = ""
	}
	page, err := pageOf(r)
	if err != nil {
		return log, err
	}
	page.Limit = min(page.Limit, 25)
	list, err := s.Events.ListDeliveries(r.Context(), events.DeliveryFilter{CompanyID: hook.CompanyID, WebhookID: hook.ID, State: log.State, Page: page})
	if err != nil {
		return log, err
	}
	base := "/webhooks/" + hook.ID.String()
	for _, st := range []struct{ label, value string }{{"All", ""}, {"Pending", events.StatePending}, {"Failed", events.StateFailed},
		{"Dead", events.StateDead}, {"Succeeded", events.StateSucceeded}} {
		log.Filters = append(log.Filters, chip{Label: st.label, URL: withQuery(r, "state", st.value) + "#deliveries", Active: log.State == st.value})
	}
	for _, d := range list.Items {
		log.Rows = append(log.Rows, deliveryRow{D: d, URL: base + "/deliveries/" + d.ID.String(), State: deliveryState(d.State)})
	}
	if page.After != "" {
		log.FirstURL = withQuery(r, "after", "") + "#deliveries"
	}
	if list.Next != "" {
		nq := cloneQuery(q)
		nq.Set("after", list.Next)
		nq.Del("flash")
		log.NextURL = r.URL.Path + "?" + nq.Encode() + "#deliveries"
	}
	return log, nil
}

// webhookPage renders the webhook's record, with a secret to show once and a
// message when given.
func (s *Server) webhookPage(w http.ResponseWriter, r *http.Request, hook events.Webhook, secret, flash string) error {
	if secret != "" {
		// Answering a POST: the page's links (delivery filters) belong to the record's own address.
		r.URL.Path, r.URL.RawQuery = "/webhooks/"+hook.ID.String(), ""
	}
	form, err := s.webhookRecord(r, hook)
	if err != nil {
		return err
	}
	form.Secret = secret
	if flash != "" {
		r.URL.RawQuery = url.Values{"flash": {flash}}.Encode()
	}
	return s.render(w, r, http.StatusOK, "webhook", hook.URL, form)
}

func (s *Server) webhookUpdate(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	f := r.PostForm
	version, perr := strconv.ParseInt(f.Get("version"), 10, 64)
	if perr != nil {
		version = hook.Version
	}
	target, desc, evs, active := strings.TrimSpace(f.Get("url")), strings.TrimSpace(f.Get("description")), parseEvents(f.Get("events")), f.Get("active") != ""
	_, err = s.Events.UpdateWebhook(r.Context(), hook.CompanyID, hook.ID, version,
		events.WebhookPatch{URL: &target, Description: &desc, Events: &evs, Active: &active})
	if err != nil {
		fe, ferr := webhookFailure(err, evs)
		if ferr != nil {
			return ferr
		}
		form, rerr := s.webhookRecord(r, hook)
		if rerr != nil {
			return rerr
		}
		form.Errors, form.EventsText = fe, f.Get("events")
		form.Hook.URL, form.Hook.Description, form.Hook.Active = target, desc, active
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "webhook", hook.URL, form)
	}
	return redirectFlash(w, r, "/webhooks/"+hook.ID.String(), "Saved.")
}

// webhookRotate gives the webhook a new signing secret and shows it once.
func (s *Server) webhookRotate(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	secret, err := s.Events.RotateSecret(r.Context(), hook.CompanyID, hook.ID)
	if err != nil {
		return err
	}
	return s.webhookPage(w, r, hook, secret, "New signing secret made. Update the receiver now: it is shown only once.")
}

func (s *Server) webhookDelete(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	if err := s.Events.DeleteWebhook(r.Context(), hook.CompanyID, hook.ID, hook.Version); err != nil {
		return err
	}
	return redirectFlash(w, r, "/webhooks", "Webhook to "+hook.URL+" deleted.")
}

// deliveryPage is the data of one delivery's page.
type deliveryPage struct {
	Hook      events.Webhook
	D         events.Delivery
	State     cell
	Payload   string
	Attempts  []events.Attempt
	CanReplay bool
}

// deliveryOf finds the delivery named by the path among the webhook's.
func (s *Server) deliveryOf(r *http.Request, hook events.Webhook) (events.Delivery, error) {
	id, err := pathID(r, "delivery")
	if err != nil {
		return events.Delivery{}, err
	}
	d, err := s.Events.GetDelivery(r.Context(), hook.CompanyID, id)
	if err != nil {
		return events.Delivery{}, err
	}
	if d.WebhookID != hook.ID {
		return events.Delivery{}, backoffice.Errorf(backoffice.ENotFound, "delivery %s of this webhook not found", id)
	}
	return d, nil
}

func (s *Server) deliveryShow(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	d, err := s.deliveryOf(r, hook)
	if err != nil {
		return err
	}
	attempts, err := s.Events.ListAttempts(r.Context(), hook.CompanyID, d.ID)
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	payload := string(d.Payload)
	if json.Indent(&pretty, d.Payload, "", "  ") == nil {
		payload = pretty.String()
	}
	pg := deliveryPage{Hook: hook, D: d, State: deliveryState(d.State), Payload: payload, Attempts: attempts,
		CanReplay: principal(r).Can("webhook.manage")}
	return s.render(w, r, http.StatusOK, "delivery", "Delivery "+d.ID.String(), pg)
}

// deliveryReplay sends a delivery's event again as a new delivery.
func (s *Server) deliveryReplay(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	d, err := s.deliveryOf(r, hook)
	if err != nil {
		return err
	}
	nd, err := s.Events.Replay(r.Context(), hook.CompanyID, d.ID)
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/webhooks/"+hook.ID.String()+"/deliveries/"+nd.ID.String(),
		"Replay queued as delivery "+nd.ID.String()+": it is sent within a few seconds.")
}
