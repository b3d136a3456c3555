"""The accounts API: one view per operation, each parsing input and calling one service."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import credentials, services, tokens
from accounts.api import serializers as io
from accounts.api.authentication import VersionedJWTAuthentication
from accounts.api.permissions import MatrixPermission
from accounts.api.schema import PolicyAutoSchema
from accounts.policy import Action
from accounts.selectors import profile_get, user_get_by_username
from authsite.api import error, errors
from authsite.http import client_ip


class PolicyAPIView(APIView):
    """An API view whose methods the access matrix guards, per ``policy_actions``."""

    permission_classes = [MatrixPermission]
    policy_actions: dict = {}
    schema = PolicyAutoSchema()

    def initial(self, request, *args, **kwargs):
        # A method the view does not have is 405 for everyone, before credentials are asked for:
        # otherwise a guest would get 401, or 403 where no credentials are read at all.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    @staticmethod
    def parse(serializer_class, request, partial=False):
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class WelcomeView(PolicyAPIView):
    """A greeting anyone may read."""

    policy_actions = {"GET": Action.VIEW_WELCOME}

    @extend_schema(responses={200: inline_serializer("Welcome", {"message": serializers.CharField()})})
    def get(self, request):
        return Response({"message": "Welcome to authsite."})


class RegisterView(PolicyAPIView):
    """Create an account; the caller is then a user and logs in with it."""

    policy_actions = {"POST": Action.REGISTER}

    @extend_schema(request=io.RegisterInput, responses={201: io.AccountOutput, **errors(429)})
    def post(self, request):
        data = self.parse(io.RegisterInput, request)
        user = services.user_register(**data, ip=client_ip(request))
        return Response(io.AccountOutput(user).data, status=status.HTTP_201_CREATED)


class LoginView(PolicyAPIView):
    """Exchange a username (or email) and password for an access and a refresh token."""

    policy_actions = {"POST": Action.LOG_IN}

    @extend_schema(
        request=io.LoginInput,
        responses={
            200: io.TokenPairOutput,
            403: error(403, "Signed in already, or the right password of a suspended account (see `suspended_until`)."),
            **errors(429),
        },
    )
    def post(self, request):
        data = self.parse(io.LoginInput, request)
        user = services.login_attempt(
            identifier=data["username"], password=data["password"], ip=client_ip(request)
        )
        return Response(tokens.token_pair_issue(user))


class TokenRefreshView(PolicyAPIView):
    """Exchange a refresh token for a new pair; the old one stops working, and reusing it revokes its family."""

    policy_actions = {"POST": Action.REFRESH_TOKEN}
    # The refresh token in the body is the credential; no Bearer token is needed.
    authentication_classes = []

    @extend_schema(request=io.RefreshInput, responses={200: io.TokenPairOutput, **errors(429)})
    def post(self, request):
        data = self.parse(io.RefreshInput, request)
        return Response(tokens.token_refresh(raw_refresh=data["refresh"], ip=client_ip(request)))


class LogoutView(PolicyAPIView):
    """Revoke the refresh token of this login; its access tokens stop working too."""

    policy_actions = {"POST": Action.LOG_OUT}

    @extend_schema(request=io.RefreshInput, responses={204: None})
    def post(self, request):
        data = self.parse(io.RefreshInput, request)
        tokens.token_revoke(user=request.user, raw_refresh=data["refresh"], ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutEverywhereView(PolicyAPIView):
    """End every session and token of the account."""

    policy_actions = {"POST": Action.LOG_OUT}

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        credentials.logout_everywhere(user=request.user, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(PolicyAPIView):
    policy_actions = {"POST": Action.EDIT_PROFILE}

    @extend_schema(request=io.PasswordChangeInput, responses={200: io.TokenPairOutput, **errors(429)})
    def post(self, request):
        """Change the password; other sessions end, and the caller gets a fresh token pair."""
        data = self.parse(io.PasswordChangeInput, request)
        user = credentials.password_change(user=request.user, ip=client_ip(request), **data)
        return Response(tokens.token_pair_issue(user))


class EmailChangeView(PolicyAPIView):
    policy_actions = {"POST": Action.EDIT_PROFILE}

    @extend_schema(request=io.EmailChangeInput, responses={200: io.TokenPairOutput, **errors(429)})
    def post(self, request):
        """Change the email address; other sessions end, and the caller gets a fresh token pair."""
        data = self.parse(io.EmailChangeInput, request)
        user = credentials.email_change(user=request.user, ip=client_ip(request), **data)
        return Response(tokens.token_pair_issue(user))


class ProfileView(PolicyAPIView):
    """The caller's own profile; only ``display_name`` and ``bio`` can be changed here."""

    policy_actions = {"GET": Action.VIEW_PROFILE, "PUT": Action.EDIT_PROFILE, "PATCH": Action.EDIT_PROFILE}

    def get_authenticators(self):
        return [VersionedJWTAuthentication(reads_profile=True)]

    @extend_schema(responses={200: io.ProfileOutput})
    def get(self, request):
        return Response(io.profile_body(profile_get(user=request.user)))

    @extend_schema(request=io.ProfileInput, responses={200: io.ProfileOutput})
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(request=io.ProfileInput, responses={200: io.ProfileOutput})
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, partial):
        data = self.parse(io.ProfileInput, request, partial=partial)
        user = services.profile_update(user=request.user, ip=client_ip(request), **data)
        return Response(io.profile_body(user))


class PremiumView(PolicyAPIView):
    """Content for admins and premium users."""

    policy_actions = {"GET": Action.VIEW_PREMIUM}

    @extend_schema(responses={200: inline_serializer("Premium", {"content": serializers.CharField()})})
    def get(self, request):
        return Response({"content": "Premium content: thank you for supporting authsite."})


class SuspendView(PolicyAPIView):
    """Suspend an account, for a number of days or (admins only) indefinitely."""

    policy_actions = {"POST": Action.SUSPEND_USER}

    @extend_schema(request=io.SuspendInput, responses={200: io.SuspensionOutput, **errors(404)})
    def post(self, request):
        data = self.parse(io.SuspendInput, request)
        user = services.user_suspend(
            actor=request.user, target=user_get_by_username(data["username"]),
            reason=data["reason"], days=data.get("days"), ip=client_ip(request),
        )  # fmt: skip
        return Response(io.SuspensionOutput(user).data)


class UnsuspendView(PolicyAPIView):
    """Lift an account's suspension."""

    policy_actions = {"POST": Action.SUSPEND_USER}

    @extend_schema(request=io.UnsuspendInput, responses={200: io.SuspensionOutput, **errors(404)})
    def post(self, request):
        data = self.parse(io.UnsuspendInput, request)
        user = services.user_unsuspend(
            actor=request.user, target=user_get_by_username(data["username"]), ip=client_ip(request)
        )
        return Response(io.SuspensionOutput(user).data)
