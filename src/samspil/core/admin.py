"""The operators' admin: platform staff create top-level organisations and fix data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessToken, Invitation, Membership, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "parent", "visibility"]
    list_filter = ["kind", "country", "visibility"]
    search_fields = ["name", "national_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["username", "email", "first_name", "last_name", "language", "is_active"]
    search_fields = ["username", "email", "first_name", "last_name"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "created_at"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["roles"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "organisation", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["organisation"]
    exclude = ["token_digest"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    exclude = ["digest"]
