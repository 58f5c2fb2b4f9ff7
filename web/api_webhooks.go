package web

import (
	"net/http"

	"backoffice/events"
)

type webhookOut = events.Webhook

type deliveryOut = events.Delivery

type webhookIn struct {
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events"` // patterns: "*", "user.*", "user.create"
	Active      *bool    `json:"active,omitempty"`
}

type webhookCreatedOut struct {
	Webhook webhookOut `json:"webhook"`
	Secret  string     `json:"secret"` // signing secret, shown once
}

type webhookPatchIn struct {
	URL         *string   `json:"url,omitempty"`
	Description *string   `json:"description,omitempty"`
	Events      *[]string `json:"events,omitempty"`
	Active      *bool     `json:"active,omitempty"`
}

func (s *Server) apiListWebhooks(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	hooks, err := s.Events.ListWebhooks(r.Context(), company)
	if err != nil {
		return err
	}
	if hooks == nil {
		hooks = []events.Webhook{}
	}
	writeJSON(w, http.StatusOK, listOf[webhookOut]{Items: hooks})
	return nil
}

func (s *Server) apiCreateWebhook(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	var in webhookIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	active := in.Active == nil || *in.Active
	hook, secret, err := s.Events.CreateWebhook(r.Context(), events.NewWebhook{CompanyID: company, URL: in.URL,
		Description: in.Description, Events: in.Events, Active: active})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/webhooks/"+hook.ID.String())
	w.Header().Set("Cache-Control", "no-store")
	writeVersioned(w, http.StatusCreated, hook.Version, webhookCreatedOut{Webhook: hook, Secret: secret})
	return nil
}

func (s *Server) webhookOf(r *http.Request) (events.Webhook, error) {
	company, err := requireCompany(r)
	if err != nil {
		return events.Webhook{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return events.Webhook{}, err
	}
	return s.Events.GetWebhook(r.Context(), company, id)
}

func (s *Server) apiGetWebhook(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, hook.Version, hook)
	return nil
}

func (s *Server) apiUpdateWebhook(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	var in webhookPatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, hook.Version)
	if err != nil {
		return err
	}
	hook, err = s.Events.UpdateWebhook(r.Context(), hook.CompanyID, hook.ID, version,
		events.WebhookPatch{URL: in.URL, Description: in.Description, Events: in.Events, Active: in.Active})
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, hook.Version, hook)
	return nil
}

func (s *Server) apiDeleteWebhook(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, hook.Version)
	if err != nil {
		return err
	}
	if err := s.Events.DeleteWebhook(r.Context(), hook.CompanyID, hook.ID, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiListDeliveries(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.webhookOf(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := s.Events.ListDeliveries(r.Context(), events.DeliveryFilter{CompanyID: hook.CompanyID, WebhookID: hook.ID,
		State: r.URL.Query().Get("state"), Page: page})
	if err != nil {
		return err
	}
	if list.Items == nil {
		list.Items = []events.Delivery{}
	}
	writeJSON(w, http.StatusOK, listOf[deliveryOut]{Items: list.Items, Next: list.Next})
	return nil
}

func (s *Server) apiReplayDelivery(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Events.Replay(r.Context(), company, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}
