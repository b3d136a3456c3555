"""Reference endpoints that authsite's API is measured against, in the same process and run.

Each authenticated reference answers the same small body, so the rows differ only in how the
caller is authenticated:

- ``bare``: a plain Django view through the real middleware stack, no DRF, no token: the ceiling;
- ``StockJWTView``: DRF with simplejwt's ``JWTAuthentication``, one user query per request;
- ``StatelessJWTView``: simplejwt's ``JWTStatelessUserAuthentication``, no query, no revocation;
- ``AuthsiteJWTView``: authsite's own authentication and matrix permission with that same body,
  which separates the cost of authenticating from the cost of ``GET /api/profile``'s own work.

``argon2_verify`` does nothing but parse a JSON body and verify one password with the parameters
of ``accounts.hashers.TunedArgon2PasswordHasher``: what a login cannot go below.
"""

import json

from argon2.exceptions import VerifyMismatchError
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication, JWTStatelessUserAuthentication

from accounts.api.views import PolicyAPIView
from accounts.policy import Action
from bench.hashing import BENCH_PASSWORD, site_hasher

ARGON2 = site_hasher()
_HASH = ARGON2.hash(BENCH_PASSWORD)


def _body(user) -> dict:
    return {"id": str(user.pk)}


@login_not_required
@require_GET
def bare(request):
    return JsonResponse({"id": "0"})


class StockJWTView(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(_body(request.user))


class StatelessJWTView(StockJWTView):
    authentication_classes = [JWTStatelessUserAuthentication]


class AuthsiteJWTView(PolicyAPIView):
    policy_actions = {"GET": Action.VIEW_PROFILE}

    def get(self, request):
        return Response(_body(request.user))


@login_not_required
@csrf_exempt
@require_POST
def argon2_verify(request):
    try:
        password = json.loads(request.body)["password"]
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest()
    try:
        return JsonResponse({"ok": ARGON2.verify(_HASH, password)})
    except VerifyMismatchError:
        return JsonResponse({"ok": False}, status=400)
