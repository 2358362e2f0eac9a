"""Staff pages for the shared skills taxonomy (技能, administrators edit it) and a region's
points rule and star thresholds (积分规则, 星级: station managers and administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, visible_or_404
from wushe.regions.models import Region
from wushe.regions.selectors import user_root
from wushe.volunteers import rule_services, selectors, skill_services
from wushe.volunteers.admin_forms import (
    PointsRuleForm,
    RegionChoiceForm,
    SkillEditForm,
    SkillForm,
    StarRuleForm,
)
from wushe.volunteers.choices import Tier
from wushe.volunteers.models import PointsRule, Skill, StarRule
from wushe.volunteers.rules import points_rule_for, star_rule_for
from wushe.volunteers.services import SUPERVISORS
from wushe.volunteers.views import no_store, status_of

# Skills -----------------------------------------------------------------------------------------


def _require_admin(request: HttpRequest, action: str, obj_id="") -> None:
    if not request.user.is_admin:
        audit_denied(
            actor=request.user, action=action, object_type="volunteers.skill", object_id=obj_id
        )
        raise PermissionDenied(_("Only an administrator can change the skills list."))


def _render_skills(request: HttpRequest, form=None, status: int = 200) -> HttpResponse:
    user = request.user
    if form is None and user.is_admin:
        form = SkillForm()
    context = {"skills": selectors.skill_list(include_retired=True), "form": form}
    return render(request, "volunteers/skill_list.html", context, status=status)


@no_store
@login_required
@require_GET
def skill_list(request: HttpRequest) -> HttpResponse:
    return _render_skills(request)


@no_store
@login_required
@require_POST
def skill_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request, Action.CREATE)
    form = SkillForm(request.POST)
    if form.is_valid():
        try:
            skill_services.skill_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Skill added."))
            return redirect("volunteers:skill_list")
    return _render_skills(request, form, status=400)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def skill_edit(request: HttpRequest, pk: int) -> HttpResponse:
    skill = visible_or_404(request, Skill.objects.all(), Action.UPDATE, pk=pk)
    _require_admin(request, Action.UPDATE, pk)
    initial = {"name": skill.name, "active": skill.active}
    form = SkillEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            skill_services.skill_update(actor=request.user, skill=skill, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            skill.refresh_from_db()
        else:
            messages.success(request, _("Skill saved."))
            return redirect("volunteers:skill_list")
    context = {"form": form, "skill": skill}
    return render(request, "volunteers/skill_form.html", context, status=status_of(form))


# Rules ------------------------------------------------------------------------------------------


def _can_set(user) -> bool:
    return user.role in SUPERVISORS


def _rule_initial(region: Region) -> tuple[dict, dict]:
    points, stars = points_rule_for(region.code), star_rule_for(region.code)
    points_initial = {
        "region": region,
        "points_per_hour": points.points_per_hour,
        "cap": points.cap,
        "expiry_months": points.expiry_months,
        **{f"coefficient_{tier}": points.coefficients[tier] for tier in Tier.values},
    }
    star_initial = {"region": region}
    star_initial.update({f"star{n}": t for n, t in enumerate(stars.thresholds, start=1)})
    return points_initial, star_initial


def _source(user, code: str | None) -> Region | None:
    return Region.objects.visible_to(user).filter(code=code).first() if code else None


def _render_rules(request, choice, region, points_form=None, star_form=None) -> HttpResponse:
    user = request.user
    points_initial, star_initial = _rule_initial(region)
    if _can_set(user):
        points_form = points_form or PointsRuleForm(initial=points_initial, user=user)
        star_form = star_form or StarRuleForm(initial=star_initial, user=user)
    points, stars = points_rule_for(region.code), star_rule_for(region.code)
    context = {
        "form": choice,
        "region": region,
        "points": points,
        "stars": stars,
        "coefficients": [(Tier(t).label, points.coefficients[t]) for t in Tier.values],
        "points_source": _source(user, points.source),
        "stars_source": _source(user, stars.source),
        "own_points": PointsRule.objects.filter(region=region).first(),
        "own_stars": StarRule.objects.filter(region=region).first(),
        "points_form": points_form,
        "star_form": star_form,
        "can_set": _can_set(user),
    }
    status = status_of(choice, points_form, star_form)
    return render(request, "volunteers/rules.html", context, status=status)


def _chosen_region(request: HttpRequest) -> tuple[RegionChoiceForm, Region]:
    form = RegionChoiceForm(request.GET or None, user=request.user)
    region = form.chosen() or user_root(request.user)
    if region is None:  # an account without a region sees nothing at all
        raise Http404
    return form, region


def _back_to_rules(region: Region) -> HttpResponse:
    url = reverse("volunteers:rules")
    return redirect(f"{url}?{urlencode({'region': region.display_code})}")


def _require_setter(request: HttpRequest, action: str) -> None:
    if not _can_set(request.user):
        audit_denied(actor=request.user, action=action, object_type="volunteers.pointsrule")
        raise PermissionDenied(
            _("Only an administrator or a station manager sets points and star rules.")
        )


@no_store
@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """The points rule and star thresholds in force in a region: its own, inherited, or the
    defaults."""
    form, region = _chosen_region(request)
    return _render_rules(request, form, region)


def _rule_set(request: HttpRequest, form_class, service, done: str) -> HttpResponse:
    _require_setter(request, Action.UPDATE)
    form = form_class(request.POST, user=request.user)
    if form.is_valid():
        values = dict(form.cleaned_data)
        region = values.pop("region")
        try:
            service(actor=request.user, region=region, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return _back_to_rules(region)
    region = form.cleaned_data.get("region") or user_root(request.user)
    if region is None:
        raise Http404
    forms = {"points_form": form} if form_class is PointsRuleForm else {"star_form": form}
    return _render_rules(request, RegionChoiceForm(user=request.user), region, **forms)


@no_store
@login_required
@require_POST
def points_rule_set(request: HttpRequest) -> HttpResponse:
    return _rule_set(
        request, PointsRuleForm, rule_services.points_rule_set, _("Points rule saved.")
    )


@no_store
@login_required
@require_POST
def star_rule_set(request: HttpRequest) -> HttpResponse:
    return _rule_set(
        request, StarRuleForm, rule_services.star_rule_set, _("Star thresholds saved.")
    )


@no_store
@login_required
@require_POST
def rule_clear(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Remove a region's own rule; the region then follows the rule above or the defaults."""
    model = {"points": PointsRule, "stars": StarRule}.get(kind)
    if model is None:
        raise Http404
    rule = visible_or_404(request, model.objects.visible_to(request.user), Action.DELETE, pk=pk)
    _require_setter(request, Action.DELETE)
    region = rule.region
    rule_services.rule_clear(actor=request.user, rule=rule)
    messages.success(request, _("The region's own rule was removed."))
    return _back_to_rules(region)
