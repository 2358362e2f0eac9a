from django.urls import path

from wushe.charity import fund_views, views

app_name = "charity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("donors/", views.donor_list, name="donor_list"),
    path("donors/new/", views.donor_create, name="donor_create"),
    path("donors/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/edit/", views.donor_edit, name="donor_edit"),
    path("donors/<int:pk>/unmask/", views.donor_unmask, name="donor_unmask"),
    path("donations/", views.donation_list, name="donation_list"),
    path("donations/new/", views.donation_create, name="donation_create"),
    path("donations/<int:pk>/", views.donation_detail, name="donation_detail"),
    path("donations/<int:pk>/cancel/", views.donation_cancel, name="donation_cancel"),
    path("funds/", fund_views.fund_list, name="fund_list"),
    path("funds/new/", fund_views.fund_create, name="fund_create"),
    path("funds/<int:pk>/", fund_views.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/edit/", fund_views.fund_edit, name="fund_edit"),
    path("funds/<int:pk>/disburse/", fund_views.fund_disburse, name="fund_disburse"),
    path(
        "funds/<int:pk>/entries/<int:entry_pk>/reverse/",
        fund_views.fund_entry_reverse,
        name="fund_entry_reverse",
    ),
    path("goods/", fund_views.goods_list, name="goods_list"),
    path("goods/<int:pk>/", fund_views.goods_detail, name="goods_detail"),
    path("goods/<int:pk>/distribute/", fund_views.goods_distribute, name="goods_distribute"),
    path(
        "goods/<int:pk>/movements/<int:movement_pk>/reverse/",
        fund_views.goods_movement_reverse,
        name="goods_movement_reverse",
    ),
]
