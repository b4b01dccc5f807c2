window.YTD.tweet.part0 = [ {
  "tweet" : {
    "retweeted" : false,
    "source" : "<a href=\"http://twitter.com\" rel=\"nofollow\">Twitter Web Client</a>",
    "entities" : {
      "hashtags" : [ ],
      "symbols" : [ ],
      "user_mentions" : [ {
        "name" : "Greg #SexWorkIsWork",
        "screen_name" : "gregsapphyre",
        "indices" : [ "0", "13" ],
        "id_str" : "806326133981638657",
        "id" : "806326133981638657"
      } ],
      "urls" : [ {
        "url" : "https://t.co/zkJskeisBp",
        "expanded_url" : "https://github.com/PDP-10/its/blob/master/doc/DDT.md",
        "display_url" : "github.com/PDP-10/its/blo…",
        "indices" : [ "18", "41" ]
      } ]
    },
    "display_text_range" : [ "0", "41" ],
    "favorite_count" : "0",
    "in_reply_to_status_id_str" : "813774560122249217",
    "id_str" : "826354801738969088",
    "in_reply_to_user_id" : "806326133981638657",
    "truncated" : false,
    "retweet_count" : "0",
    "id" : "826354801738969088",
    "in_reply_to_status_id" : "813774560122249217",
    "possibly_sensitive" : false,
    "created_at" : "Tue Jan 31 09:01:52 +0000 2017",
    "favorited" : false,
    "full_text" : "@gregsapphyre 