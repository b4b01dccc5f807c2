window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : { "initial" : { "editTweetIds" : [ "1500" ], "editableUntil" : "2024-05-02T10:30:00.000Z", "editsRemaining" : "5", "isEditEligible" : false } },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ { "name" : "Jo", "screen_name" : "jo_customer", "indices" : [ "0", "12" ], "id_str" : "2000", "id" : "2000" } ], "urls" : [ ] },
      "display_text_range" : [ "0", "80" ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "1499",
      "id_str" : "1500",
      "in_reply_to_user_id" : "2000",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1500",
      "in_reply_to_status_id" : "1499",
      "created_at" : "Thu May 02 09:30:00 +0000 2024",
      "favorited" : false,
      "full_text" : "@jo_customer Sorry about the late parcel &amp; the damage &gt; we will send a replacement.",
      "lang" : "en",
      "in_reply_to_screen_name" : "jo_customer",
      "in_reply_to_user_id_str" : "2000"
    }
  },
  {
    "tweet" : {
      "id_str" : "1501",
      "full_text" : "no date on this one",
      "created_at" : "yesterday"
    }
  },
  "not a tweet"
]
